"""What the evaluation scripts share: loading one of them as a module (their names hold
hyphens, so `import` cannot name them), and the bitext binary they run."""
import importlib.util
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def built(binary):
    """`binary` as a Path, after building the release binary if it is not there yet."""
    binary = Path(binary)
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=HERE.parent, check=True)
    return binary


def load(file):
    """The script `file` (a name in scripts/) as a module."""
    spec = importlib.util.spec_from_file_location(Path(file).stem.replace("-", "_"), HERE / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
