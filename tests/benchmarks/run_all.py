"""Run every benchmark script in this folder, one after another, each printing its own figures.

    python tests/benchmarks/run_all.py [--quick]

--quick passes each script its short-run flag where it has one (for a smoke run, not figures).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_FLAGS = {
    "bench_ui_terminal.py": ["--skip-idle"],
    "bench_chaos.py": ["--minutes", "1"],
    "bench_soak.py": ["--cycles", "100"],
    "bench_client_vs_official.py": ["--deployments", "2000"],
    "bench_data_path.py": ["--runs", "1", "--port", "18799", "--deployments", "2000"],
    "bench_emulator_throughput.py": ["--pages", "20", "--warm-passes", "1"],
}


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        extra = QUICK_FLAGS.get(script.name, []) if quick else []
        if subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parents[1]).returncode:
            failed.append(script.name)
    if failed:
        print(f"failed or over budget: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
