"""Feedback HTML that keeps the hidden tests secret and renders its math with no network.

nbgrader's GenerateFeedback writes the autograded notebook as HTML: the hidden tests' code
(and tracebacks quoting it) and a MathJax script from a CDN included (nbgrader issue #917).
nbgrader_config.py registers `HideHiddenTests` as a feedback preprocessor and the template
`course_feedback`, whose MathJax 3 (the `django-static-mathjax` package's tex-svg.js, SVG
fonts built in) is inlined as a data URL, so a feedback file opened from disk shows its
math. The autograded notebooks themselves are not changed. Its exporter, `FeedbackExporter`,
writes the same page as nbconvert's in half the time (its docstring says how).
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SHOWN = "# (hidden tests: their code is not shown in the feedback)"
TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "course_feedback"
HIDDEN = re.compile(rf"^([ \t]*){re.escape(BEGIN)}.*?^[ \t]*{re.escape(END)}[^\n]*",
                    re.MULTILINE | re.DOTALL)


def hide(source: str) -> str:
    """`source` with every hidden-test block replaced by one comment line (same indent)."""
    return HIDDEN.sub(lambda m: m.group(1) + SHOWN, source)


def short_error(output: dict) -> list[str]:
    """An error output's traceback cut to its last line, "Name: message": the full one
    quotes the lines of the test that failed."""
    message = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
    if output.get("ename") == "AssertionError" and not output.get("evalue"):
        message += " (a hidden test failed; its code is not shown)"
    return [message]


class HideHiddenTests(Preprocessor):
    """In cells with hidden tests: the hidden code is replaced by a comment and an error's
    traceback by its last line."""

    enabled = Bool(True, help="nbconvert runs a registered preprocessor only when enabled")

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and BEGIN in cell.source:
            cell.source = hide(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = short_error(output)
        return cell, resources


@functools.cache
def mathjax_data_url() -> str:
    """MathJax 3 (tex-svg, one self-contained file) as a data: URL."""
    try:
        import mathjax
    except ImportError as missing:
        raise RuntimeError("feedback needs the django-static-mathjax package (MathJax 3 "
                           "for offline math): run `make test` or `pip install -e .`") from missing
    script = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5" / "tex-svg.js"
    data = base64.b64encode(script.read_bytes()).decode("ascii")
    return f"data:text/javascript;base64,{data}"


def offline_mathjax(_value="") -> str:
    """Jinja filter for the course_feedback template: the inlined MathJax's URL."""
    return mathjax_data_url()


class _Compiled(BytecodeCache):
    """Compiled templates kept in memory for the process: a grading worker writes one page
    a student, and compiling nbgrader's and nbconvert's templates again costs 0.1 s each time.
    jinja keys each entry by the template's file and checks its source's checksum."""

    def __init__(self):
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = _Compiled()
NO_ALT = re.compile(r"<img\b(?![^>]*\balt=)([^>]*)>")  # an <img> tag with no alt attribute
ALT = 'alt="No description has been provided for this image"'  # nbconvert's words


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTMLExporter for the feedback page, cheaper by half: its templates compile
    once a process, and the page is not parsed back with BeautifulSoup (0.3 s for a week 1
    page) to add what the feedback template needs of that pass, an image's missing alt text
    (the focus marks it adds are for the lab template's classes, which this page has none of)."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return NO_ALT.sub(lambda m: f"<img{m.group(1).rstrip()} {ALT}>", page), resources


def configure(c, nbgrader_templates: str | None = None) -> None:
    """Point nbgrader's GenerateFeedback at the preprocessor and the template (`c` is the
    nbgrader config being loaded)."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    if nbgrader_templates is None:
        import nbgrader

        nbgrader_templates = str(Path(nbgrader.__file__).parent / "server_extensions" /
                                 "formgrader" / "templates")
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, HideHiddenTests]
    c.GenerateFeedback.exporter_class = FeedbackExporter
    c.HTMLExporter.template_name = TEMPLATE
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), nbgrader_templates]
    c.HTMLExporter.filters = {"offline_mathjax": offline_mathjax}
