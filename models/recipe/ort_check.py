"""Runs an exported model in onnxruntime-node, the runtime family the engine links, to check it against PyTorch."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
ORT_NODE = REPO / "node_modules" / "onnxruntime-node"

NODE_RUN = """
const ort = require(process.argv[2]);
const fs = require('fs');
const [model, dir] = process.argv.slice(3);
const spec = JSON.parse(fs.readFileSync(dir + '/inputs.json', 'utf8'));
const arrays = {float32: Float32Array, int64: BigInt64Array};
(async () => {
  const feeds = {};
  for (const [name, {type, dims}] of Object.entries(spec)) {
    const buf = fs.readFileSync(`${dir}/${name}.bin`);
    const Typed = arrays[type];
    feeds[name] = new ort.Tensor(type, new Typed(buf.buffer, buf.byteOffset, buf.length / Typed.BYTES_PER_ELEMENT), dims);
  }
  const session = await ort.InferenceSession.create(model);
  const out = await session.run(feeds);
  const shapes = {};
  for (const [name, tensor] of Object.entries(out)) {
    fs.writeFileSync(`${dir}/out-${name}.bin`, Buffer.from(tensor.data.buffer));
    shapes[name] = tensor.dims;
  }
  fs.writeFileSync(dir + '/outputs.json', JSON.stringify(shapes));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def run_onnxruntime_node(model_path, inputs):
    """{name: float32 or int64 array} -> {output name: float32 array}, or None when node cannot run it."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spec = {}
        for name, array in inputs.items():
            array = np.ascontiguousarray(array)
            spec[name] = {"type": "int64" if array.dtype == np.int64 else "float32", "dims": list(array.shape)}
            array.astype(np.int64 if array.dtype == np.int64 else np.float32).tofile(tmp / f"{name}.bin")
        (tmp / "inputs.json").write_text(json.dumps(spec))
        (tmp / "run.js").write_text(NODE_RUN)
        result = subprocess.run(["node", str(tmp / "run.js"), str(ORT_NODE), str(model_path), str(tmp)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return None
        shapes = json.loads((tmp / "outputs.json").read_text())
        return {name: np.fromfile(tmp / f"out-{name}.bin", dtype=np.float32).reshape(dims)
                for name, dims in shapes.items()}
