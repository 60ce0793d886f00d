"""Loads one of the evaluation scripts beside this file as a module: their names hold
hyphens, so `import` cannot name them."""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(file):
    """The script `file` (a name in scripts/) as a module."""
    spec = importlib.util.spec_from_file_location(Path(file).stem.replace("-", "_"), HERE / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
