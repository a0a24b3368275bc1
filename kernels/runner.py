#!/usr/bin/env python3
"""Execute one notebook headless with the project's tslab kernel.

Called by `xalign reproduce` (src/report/reproduce.ts), one process per notebook.
It exists because `jupyter nbconvert --execute` fails badly with tslab: tslab sends
an empty error message (the real text is in the cell's stderr stream), so nbconvert
prints only "<Error>:" and writes no notebook. This runner instead

* prints progress: which cell, its first line, and the elapsed time, with a heartbeat
  every 30 s while a long cell runs;
* applies a per-cell time-out: --timeout seconds by default, or the number in the
  cell's metadata {"xalign": {"timeout": SECONDS}};
* on failure prints the failing cell's source and everything it wrote to stderr;
* always writes the executed notebook and its HTML page (also after a failure), and a
  JSON summary, each atomically;
* exits 0 when every cell ran, 1 when a cell failed or timed out, 2 on bad usage.

It needs nbclient, nbconvert and nbformat (Debian: python3-nbclient,
python3-nbconvert; elsewhere: pip install notebook nbclient nbconvert).
"""

import argparse
import json
import os
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def write_atomic(path, text):
    tmp = os.path.join(os.path.dirname(path) or ".", "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def first_line(cell):
    for line in cell.source.splitlines():
        if line.strip():
            return line.strip()[:70]
    return "(empty)"


def cell_stderr(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


def cell_error(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            name, value = o.get("ename", ""), o.get("evalue", "")
            return (name + ": " + value).strip(": ").strip()
    return ""


class ProgressClient(NotebookClient):
    """NotebookClient that reports progress on stderr and remembers the running cell."""

    def __init__(self, nb, label, default_timeout, **kw):
        super().__init__(nb, timeout_func=self.cell_timeout, **kw)
        self.label = label
        self.default_timeout = default_timeout
        self.code_cells = [c for c in nb.cells if c.cell_type == "code"]
        self.current = None
        self.started = time.time()
        self.cell_started = None
        self.cell_times = []
        self.on_cell_start = self.cell_start
        self.on_cell_executed = self.cell_done

    def cell_timeout(self, cell):
        meta = cell.get("metadata", {}).get("xalign", {})
        value = meta.get("timeout", self.default_timeout)
        if not isinstance(value, (int, float)) or value <= 0:
            raise ValueError("cell metadata xalign.timeout must be a positive number of seconds, got %r" % (value,))
        return value

    def position(self, cell):
        for i, c in enumerate(self.code_cells):
            if c is cell:
                return i + 1
        return 0

    def say(self, text):
        sys.stderr.write("[%s %6.1fs] %s\n" % (self.label, time.time() - self.started, text))
        sys.stderr.flush()

    def cell_start(self, cell, cell_index, **_):
        if cell.cell_type != "code":
            return
        self.current = cell
        self.cell_started = time.time()
        self.say("cell %d/%d: %s" % (self.position(cell), len(self.code_cells), first_line(cell)))

    def cell_done(self, cell, cell_index, execute_reply, **_):
        if cell.cell_type != "code":
            return
        took = time.time() - self.cell_started
        self.cell_times.append(round(took, 3))
        status = execute_reply.get("content", {}).get("status", "?")
        self.say("cell %d/%d %s in %.1fs" % (self.position(cell), len(self.code_cells), status, took))


def heartbeat(client, stop):
    while not stop.wait(30):
        if client.current is not None and client.cell_started is not None:
            client.say("still running cell %d/%d (%.0fs so far)" % (
                client.position(client.current), len(client.code_cells), time.time() - client.cell_started))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--timeout", type=float, default=600.0, help="default per-cell time-out, seconds")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--startup-timeout", type=int, default=120)
    args = ap.parse_args()

    try:
        nb = nbformat.read(args.notebook, as_version=4)
    except Exception as e:  # unreadable or invalid JSON
        sys.stderr.write("%s: cannot read notebook: %s\n" % (args.notebook, e))
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(args.notebook))[0]
    client = ProgressClient(
        nb, stem, args.timeout,
        kernel_name=args.kernel,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    summary = {"notebook": args.notebook, "status": "ok", "error": None}
    stop = threading.Event()
    threading.Thread(target=heartbeat, args=(client, stop), daemon=True).start()
    client.say("starting kernel %s" % args.kernel)
    try:
        client.execute()
    except Exception as e:  # any failure still writes the notebook, the page and the summary
        cell = client.current
        kind = {CellTimeoutError: "timeout", DeadKernelError: "kernel died"}.get(type(e), "error")
        summary["status"] = "failed"
        detail = {"kind": kind, "message": "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else kind)}
        if kind == "timeout" and cell is not None:
            detail["message"] = "the cell ran longer than its time-out of %g s (default --timeout, or metadata xalign.timeout)" % client.cell_timeout(cell)
        if cell is not None:
            detail.update({
                "cell": client.position(cell),
                "source": cell.source,
                "stderr": cell_stderr(cell),
                "error": cell_error(cell),
            })
        summary["error"] = detail
    finally:
        stop.set()
    summary["seconds"] = round(time.time() - client.started, 3)
    summary["cellSeconds"] = client.cell_times
    summary["cells"] = len(client.code_cells)

    executed = os.path.join(args.out_dir, stem + ".ipynb")
    write_atomic(executed, nbformat.writes(nb))
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    write_atomic(os.path.join(args.out_dir, stem + ".html"), html)
    write_atomic(os.path.join(args.out_dir, stem + ".run.json"), json.dumps(summary, indent=2) + "\n")

    if summary["status"] != "ok":
        err = summary["error"]
        bar = "=" * 72
        sys.stderr.write("\n%s\n%s: cell %s failed (%s)\n%s\n" % (bar, args.notebook, err.get("cell", "?"), err["kind"], bar))
        if err.get("source") is not None:
            sys.stderr.write("--- cell source ---\n%s\n" % err["source"])
        sys.stderr.write("--- cell stderr ---\n%s\n" % (err.get("stderr") or "(nothing on stderr)").rstrip())
        if err.get("error"):
            sys.stderr.write("--- error output ---\n%s\n" % err["error"])
        if err["kind"] != "error":
            sys.stderr.write("--- runner ---\n%s\n" % err["message"])
        sys.stderr.write("%s\n" % bar)
        return 1
    client.say("done: %d cells" % len(client.code_cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
