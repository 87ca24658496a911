"""What the course notebooks import: data loading, images, plots, widgets and visible checks."""
