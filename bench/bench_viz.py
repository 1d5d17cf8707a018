"""Benchmark the network view: projection, layout and page writing in Python, then the page in headless
Chromium at 1k and 5k nodes: time to a settled layout and frames per second while the view moves.

    python bench/bench_viz.py [--articles 1000] [--sizes 1000 5000] [--repeats 2] [--physics-timeout 120]

In the browser, pages of the same graph are compared, run alternately (the machine is shared):
- "seeded, as opened": what `kg viz` writes, positions computed in Python, physics off; a graph of more
  than OVERVIEW_ABOVE nodes opens on its OVERVIEW most connected ones;
- "seeded, all drawn": the same page after "show everything";
- "physics (before)": the previous design, no positions, vis-network's barnesHut physics until stable.
Timings come from the page's own clock (performance.now(), from navigation start) read back over the
DevTools protocol (--remote-debugging-pipe), so Chromium's start-up is not counted.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus_file  # noqa: E402
from kg.build import build  # noqa: E402
from kg.layout import force_layout  # noqa: E402
from kg.network import export, most_connected, project  # noqa: E402
from kg.query import load_graph  # noqa: E402
from kg.viz import OVERVIEW_ABOVE, render_html, write_html  # noqa: E402

# the options of the page before this round: physics in the browser until stable
PHYSICS = {"enabled": True, "solver": "barnesHut",
           "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.2},
           "stabilization": {"enabled": True, "iterations": 120, "updateInterval": 25}}

# injected at the end of the page: note when the layout is settled, then move the view for 3 s (moveTo, a
# full redraw with edges each frame) and count frames
MEASURE = """<script>
(function () {
  var n = window.network, config = %s, physics = config.physics, out = {};
  if (config.all && window.kgView) kgView.unfocus();  // every node drawn, not the overview of a large graph
  out.drawn = n.body.nodeIndices.length;
  function frames() {
    var count = 0, drawMs = [], t0 = performance.now(), start = null, s = n.getScale(), centre = n.getViewPosition();
    n.on("beforeDrawing", function () { start = performance.now(); });
    n.on("afterDrawing", function () { count++; if (start !== null) drawMs.push(performance.now() - start); });
    (function step() {
      var t = performance.now() - t0;
      if (t > 3000) {
        drawMs.sort(function (a, b) { return a - b; });
        out.fps = count / (t / 1000); out.drawMsMedian = drawMs[Math.floor(drawMs.length / 2)] || null;
        out.drawMsP90 = drawMs[Math.floor(drawMs.length * 0.9)] || null; window.kgBench = out; return;
      }
      n.moveTo({ position: { x: centre.x + 200 * Math.sin(t / 300), y: centre.y }, scale: s * (1.2 + 0.2 * Math.sin(t / 500)) });
      requestAnimationFrame(step);
    })();
  }
  function settled() { out.settledMs = performance.now(); setTimeout(frames, 200); }
  // with positions given, the page draws its first frame while its own script runs (fit() redraws at
  // once); the next frame is the first one after the page is ready
  if (physics) n.once("stabilizationIterationsDone", function () { n.once("afterDrawing", settled); n.redraw(); });
  else { n.once("afterDrawing", settled); n.redraw(); }
})();
</script>"""


def physics_page(page: str) -> str:
    """The same page as before this round's layout work: no positions, physics until stable."""
    m = re.search(r'(<script type="application/json" id="kg-data">)(.*?)(</script>)', page, re.S)
    data = json.loads(m.group(2))
    for node in data["nodes"]:
        node.pop("x"), node.pop("y")
    data["options"]["physics"] = PHYSICS
    data["options"]["layout"] = {"randomSeed": 7, "improvedLayout": False}
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = page[:m.start(2)] + text + page[m.end(2):]
    # the page sets x/y from the data on load and on layout changes; without x the node is placed by physics
    return page.replace("n.fx = n.x; n.fy = n.y;", "n.fx = n.x; n.fy = n.y; if (n.x === undefined) { delete n.x; delete n.y; }")


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4, NUL-separated JSON)."""

    def __init__(self, binary: str):
        self.profile = tempfile.mkdtemp()
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def wire() -> None:  # in the child: the protocol wants the commands on fd 3 and answers on fd 4
            # (3 and 4 are in pass_fds so that the closing of inherited descriptors, done after this, keeps them)
            a, b = os.dup(to_child), os.dup(from_child)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
             "--disable-background-networking", "--proxy-server=127.0.0.1:9", "--window-size=1400,900",
             f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4, to_child, from_child), preexec_fn=wire, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buffer, self._next = b"", 0

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._write, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str, session: str):
        got = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        return json.loads(got.get("result", {}).get("value") or "null")  # every expression here is JSON.stringify(...)

    def measure(self, url: str, timeout: float) -> dict | None:
        """Open `url` in a new tab, wait for the page's window.kgBench, then drag the view with the mouse
        for 2 s as a user would (vis-network hides edges while dragging large graphs) and count frames.
        None if the page never reported."""
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                value = self.evaluate("JSON.stringify(window.kgBench || null)", session)
                if value:
                    value.update(self._drag(session))
                    return value
                time.sleep(0.25)
            return None
        finally:
            self.send("Target.closeTarget", {"targetId": target})

    def _drag(self, session: str) -> dict:
        self.evaluate("window.kgDrag = {frames: 0, t0: performance.now()};"
                      "network.on('afterDrawing', function () { window.kgDrag.frames++; }); JSON.stringify(1)", session)
        x, y = 800, 450  # inside the canvas (the side panel is 290 px wide)

        def mouse(kind: str, px: float, **extra) -> None:
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": px, "y": y, "button": "left", **extra}, session)

        mouse("mousePressed", x, clickCount=1)
        start = time.monotonic()
        step = 0
        while time.monotonic() - start < 2.0:
            step += 1
            mouse("mouseMoved", x + 150 * math.sin(step / 6), buttons=1)
            time.sleep(0.016)
        mouse("mouseReleased", x + 150 * math.sin(step / 6), clickCount=1)
        got = self.evaluate("JSON.stringify({frames: window.kgDrag.frames, ms: performance.now() - window.kgDrag.t0})", session)
        return {"dragFps": got["frames"] / (got["ms"] / 1000)}

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def browser(pages: dict[str, Path], repeats: int, timeout: float) -> None:
    binary = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("no chromium: browser figures skipped")
        return
    chrome = Chromium(binary)
    results: dict[str, list[dict | None]] = {name: [] for name in pages}
    try:
        for _ in range(repeats):
            for name, path in pages.items():  # interleaved: seeded and physics of one size alternate
                results[name].append(chrome.measure(path.as_uri(), timeout))
    finally:
        chrome.close()
    for name, runs in results.items():
        done = [r for r in runs if r]
        if not done:
            print(f"  {name:18s} did not settle within {timeout:.0f} s in {len(runs)} runs")
            continue
        settled = _median([r["settledMs"] / 1000 for r in done])
        fps = _median([r["fps"] for r in done])
        drag = _median([r["dragFps"] for r in done])
        draw = _median([r["drawMsMedian"] for r in done if r["drawMsMedian"]])
        p90 = _median([r["drawMsP90"] for r in done if r["drawMsP90"]])
        print(f"  {name:18s} {done[0]['drawn']:5d} nodes drawn: settled {settled:6.2f} s | moving the view: {fps:5.1f} "
              f"frames/s, draw {draw:.0f} ms (p90 {p90:.0f} ms) | mouse drag: {drag:5.1f} frames/s  [{len(done)}/{len(runs)} runs]")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--physics-timeout", type=float, default=120.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, _words = corpus_file(args.articles, tmp)
        graph = Path(tmp) / "g.nq"
        build([src], graph, progress=False)
        store = load_graph(graph)
        t0 = time.perf_counter()
        g = project(store)
        print(f"projection: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges in {time.perf_counter() - t0:.2f} s")
        pages: dict[int, dict[str, Path]] = {}
        for limit in args.sizes:
            sub, left = most_connected(g, limit)
            t0 = time.perf_counter()
            force_layout(sub)
            lay = time.perf_counter() - t0
            t0 = time.perf_counter()
            html = render_html(sub, left_out=left)
            dt = time.perf_counter() - t0
            variants = {"seeded, as opened": {"physics": False, "all": False},
                        "seeded, all drawn": {"physics": False, "all": True},
                        "physics (before)": {"physics": True, "all": True}}
            pages[limit] = {}
            for name, config in variants.items():
                if name == "seeded, all drawn" and sub.number_of_nodes() <= OVERVIEW_ABOVE:
                    continue  # opens with everything drawn anyway
                path = Path(tmp) / f"{limit}-{len(pages[limit])}.html"
                base = physics_page(html) if config["physics"] else html
                path.write_text(base.replace("</body>", MEASURE % json.dumps(config) + "</body>"), encoding="utf-8")
                pages[limit][name] = path
            print(f"page of {sub.number_of_nodes()} nodes, {sub.number_of_edges()} edges: layout {lay:.2f} s, "
                  f"whole page {dt:.2f} s ({len(html.encode()) / 2**20:.1f} MiB)")
        t0 = time.perf_counter()
        write_html(g, Path(tmp) / "all.html")
        print(f"whole graph page ({g.number_of_nodes()} nodes): {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        export(g, Path(tmp) / "g.graphml")
        print(f"GraphML export of {g.number_of_nodes()} nodes: {time.perf_counter() - t0:.2f} s")
        for limit, variants in pages.items():
            print(f"headless Chromium, {limit} nodes (median of {args.repeats}, interleaved):")
            browser(variants, args.repeats, args.physics_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
