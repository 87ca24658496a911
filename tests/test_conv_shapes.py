"""The shape checks of week 5's layers refuse shapes that cannot go together with the shapes and
the formula in words, and return the output size the formula gives when they fit."""

import warnings

import numpy as np
import pytest

from course_utils.conv_shapes import ShapeError, check_conv_shapes, check_pool_shapes


def z(*shape):
    return np.zeros(shape)


@pytest.mark.parametrize("n, f, stride, pad, expected", [
    (5, 3, 1, 0, 3), (5, 3, 1, 1, 5), (5, 3, 2, 1, 3), (28, 3, 1, 1, 28), (7, 7, 1, 0, 1),
    (4, 2, 2, 0, 2)])
@pytest.mark.filterwarnings("ignore:n_W")
def test_the_output_size_is_the_formula(n, f, stride, pad, expected):
    assert check_conv_shapes(z(2, n, n + 1, 3), z(f, f, 3, 4), {"stride": stride, "pad": pad}) == (
        expected, (n + 1 + 2 * pad - f) // stride + 1)


def test_a_channels_first_array_is_named_with_the_fix():
    with pytest.raises(ShapeError, match=r"channels-first.*transpose\(0, 2, 3, 1\)"):
        check_conv_shapes(z(2, 3, 28, 28), z(3, 3, 3, 8), {"stride": 1, "pad": 1})


def test_mismatched_channels_name_both_shapes():
    with pytest.raises(ShapeError,
                       match=r"A_prev has 2 channels .*\(2, 6, 6, 2\).*expects n_C_prev = 3"):
        check_conv_shapes(z(2, 6, 6, 2), z(3, 3, 3, 8), {"stride": 1, "pad": 0})


def test_a_filter_wider_than_the_padded_input_gives_the_formula_with_its_numbers():
    with pytest.raises(ShapeError, match=r"5x5 filter is wider .* 3 \+ 2\*0 = 3 < f = 5.*"
                                         r"floor\(\(3 \+ 0 - 5\) / 1\) \+ 1 = -1"):
        check_conv_shapes(z(1, 3, 3, 1), z(5, 5, 1, 1), {"stride": 1, "pad": 0})
    with pytest.raises(ShapeError, match=r"pooling window is wider"):
        check_pool_shapes(z(1, 2, 8, 1), {"f": 3, "stride": 1})


def test_a_stride_that_does_not_divide_warns_with_the_rounding():
    with pytest.warns(UserWarning, match=r"\(6 \+ 0 - 3\) / 2 = 1.5 is not an integer.*rounds down "
                                         r"to 2.*last 1 row"):
        assert check_conv_shapes(z(1, 6, 5, 1), z(3, 3, 1, 1), {"stride": 2, "pad": 0}) == (2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_pool_shapes(z(1, 4, 4, 1), {"f": 2, "stride": 2}) == (2, 2)


@pytest.mark.parametrize("hparameters, words", [
    ({"stride": 1}, "keys 'stride', 'pad'; got \\['stride'\\]"),
    ([1, 1], "got list"),
    ({"stride": 0, "pad": 0}, r"hparameters\['stride'\] must be an integer >= 1, not 0"),
    ({"stride": 1, "pad": 1.5}, r"hparameters\['pad'\] must be an integer >= 0, not 1.5")])
def test_bad_hyperparameters_are_named(hparameters, words):
    with pytest.raises(ShapeError, match=words):
        check_conv_shapes(z(1, 5, 5, 1), z(3, 3, 1, 1), hparameters)


def test_arrays_of_the_wrong_rank_or_non_square_filters_are_refused():
    with pytest.raises(ShapeError, match=r"A_prev must be 4-D, \(m, n_H_prev, n_W_prev, "
                                         r"n_C_prev\), but its shape is \(5, 5\)"):
        check_conv_shapes(z(5, 5), z(3, 3, 1, 1), {"stride": 1, "pad": 0})
    with pytest.raises(ShapeError, match=r"square filters; its shape is \(3, 2, 1, 1\)"):
        check_conv_shapes(z(1, 5, 5, 1), z(3, 2, 1, 1), {"stride": 1, "pad": 0})
