"""Writes PyTorch `torch.save` files for the checkpoint tests without PyTorch (so CI needs only python3 + numpy).

The file is what torch.save writes (zip, `archive/data.pkl` pickled at protocol 2 with a persistent id per storage,
`archive/data/<key>` raw little-endian storages, `archive/version`, `archive/byteorder`): Python's own pickler emits
the opcodes, with stand-in `torch` modules so that globals are named `torch._utils._rebuild_tensor_v2`,
`torch.FloatStorage` and `collections.OrderedDict` exactly as PyTorch names them.

  torch_pt.py convert FIXTURE.json OUT.pt         the clock-pizza JSON fixture as a state dict (+ mask buffer)
  torch_pt.py random OUT_DIR SPEC_JSON             a random Clock/Pizza-code model: model.pt, config.json and
                                                   expected.json (its logits for every pair, computed here with
                                                   numpy exactly as the Clock/Pizza code's forward)
"""
import base64, collections, json, math, pickle, sys, types, zipfile
import numpy as np

torch = types.ModuleType('torch'); utils = types.ModuleType('torch._utils')
sys.modules['torch'] = torch; sys.modules['torch._utils'] = utils; torch._utils = utils

class FloatStorage: pass
class DoubleStorage: pass
FloatStorage.__module__ = DoubleStorage.__module__ = 'torch'
torch.FloatStorage = FloatStorage; torch.DoubleStorage = DoubleStorage

def _rebuild_tensor_v2(*args): raise RuntimeError('stand-in')
_rebuild_tensor_v2.__module__ = 'torch._utils'; utils._rebuild_tensor_v2 = _rebuild_tensor_v2

class Storage:
    def __init__(self, key, array): self.key, self.array = key, array

class Tensor:
    """A view of a storage: offset, size and stride in elements, as torch records them."""
    def __init__(self, storage, offset, size, stride): self.storage, self.offset, self.size, self.stride = storage, offset, size, stride
    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (self.storage, self.offset, tuple(self.size), tuple(self.stride), False, collections.OrderedDict()))

class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            kind = DoubleStorage if obj.array.dtype == np.float64 else FloatStorage
            return ('storage', kind, obj.key, 'cuda:0', obj.array.size)
        return None

def contiguous(storages, array):
    key = str(len(storages)); s = Storage(key, np.ascontiguousarray(array).reshape(-1)); storages.append(s)
    strides = [int(np.prod(array.shape[i + 1:])) for i in range(array.ndim)]
    return Tensor(s, 0, list(array.shape), strides)

def transposed_view(storages, array):
    """A 2-D tensor saved as the transpose of a contiguous storage (strides (1, rows)), as `W.t()` would be."""
    key = str(len(storages)); s = Storage(key, np.ascontiguousarray(array.T).reshape(-1)); storages.append(s)
    return Tensor(s, 0, list(array.shape), [1, array.shape[0]])

def save(path, state, storages, wrap=None):
    import io
    buf = io.BytesIO(); Pickler(buf, protocol=2).dump(state if wrap is None else {wrap: state, 'epoch': 7})
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as z:
        z.writestr('archive/data.pkl', buf.getvalue())
        z.writestr('archive/byteorder', 'little')
        for s in storages: z.writestr(f'archive/data/{s.key}', s.array.astype('<' + s.array.dtype.str[1:]).tobytes())
        z.writestr('archive/version', '3\n')

def state_dict(arrays, strided=()):
    storages = []; state = collections.OrderedDict()
    for name, array in arrays.items():
        state[name] = (transposed_view if name in strided else contiguous)(storages, array)
    state._metadata = collections.OrderedDict([('', {'version': 1})])
    return state, storages

def convert(src, out):
    fixture = json.load(open(src)); arrays = collections.OrderedDict()
    for name, t in fixture['tensors'].items():
        arrays[name] = np.frombuffer(base64.b64decode(t['float32_le_base64']), '<f4').reshape(t['shape'])
        if name == 'pos_embed.W_pos': arrays['blocks.0.attn.mask'] = np.tril(np.ones((2, 2), np.float32))
    state, storages = state_dict(arrays, strided={'unembed.W_U'})
    save(out, state, storages)

def gelu(x): return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))

def random_model(out_dir, spec):
    rng = np.random.default_rng(spec.get('seed', 0)); C = spec['C']; D = spec['d_model']; H = 4; dh = D // H
    diff, eqn, layers = spec.get('diff_vocab', 0), spec.get('eqn_sign', 0), spec.get('n_layers', 1)
    V = C * (2 if diff else 1) + (1 if eqn else 0); n_ctx = 3 if eqn else 2; F = 4 * D
    r = lambda *shape: (rng.standard_normal(shape) / math.sqrt(shape[-1])).astype(np.float32)
    arrays = collections.OrderedDict()
    arrays['embed.W_E'] = r(D, V); arrays['pos_embed.W_pos'] = r(n_ctx, D)
    for l in range(layers):
        b = f'blocks.{l}.'
        arrays[b + 'attn.W_K'] = r(H, dh, D); arrays[b + 'attn.W_Q'] = r(H, dh, D); arrays[b + 'attn.W_V'] = r(H, dh, D)
        arrays[b + 'attn.W_O'] = r(D, dh * H); arrays[b + 'attn.mask'] = np.tril(np.ones((n_ctx, n_ctx), np.float32))
        arrays[b + 'mlp.W_in'] = r(F, D); arrays[b + 'mlp.b_in'] = r(F); arrays[b + 'mlp.W_out'] = r(D, F); arrays[b + 'mlp.b_out'] = r(D)
    arrays['unembed.W_U'] = r(D, V)
    config = {'name': 'modadd_%d' % C, 'C': C, 'n_heads': H, 'd_model': D, 'n_layers': layers, 'act_fn': spec['act_fn'],
              'attn_coeff': spec['attn_coeff'], 'diff_vocab': diff, 'eqn_sign': eqn, 'frac': 0.8, 'weight_decay': 2.0, 'lr': 0.001}
    state, storages = state_dict(arrays)
    save(f'{out_dir}/model.pt', state, storages, wrap=spec.get('wrap'))
    json.dump(config, open(f'{out_dir}/config.json', 'w'))
    # The Clock/Pizza code's forward (one layer), float64, at the last position.
    A = {k: v.astype(np.float64) for k, v in arrays.items()}
    a, b = np.divmod(np.arange(C * C), C); toks = [a, b + (C if diff else 0)]
    if eqn: toks.append(np.full(C * C, V - 1))
    x = np.stack([A['embed.W_E'][:, t].T for t in toks], 1) + A['pos_embed.W_pos'][None]
    k = np.einsum('ihd,bpd->biph', A['blocks.0.attn.W_K'], x); q = np.einsum('ihd,bpd->biph', A['blocks.0.attn.W_Q'], x)
    v = np.einsum('ihd,bpd->biph', A['blocks.0.attn.W_V'], x)
    s = np.einsum('biph,biqh->biqp', k, q) / math.sqrt(dh); s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
    attn = s * spec['attn_coeff'] + (1 - spec['attn_coeff'])
    z = np.einsum('biph,biqp->biqh', v, attn); zf = z.transpose(0, 2, 1, 3).reshape(C * C, n_ctx, H * dh)
    x = x + np.einsum('df,bqf->bqd', A['blocks.0.attn.W_O'], zf)
    pre = np.einsum('md,bpd->bpm', A['blocks.0.mlp.W_in'], x) + A['blocks.0.mlp.b_in']
    post = np.maximum(pre, 0) if spec['act_fn'] == 'ReLU' else gelu(pre)
    x = x + np.einsum('dm,bpm->bpd', A['blocks.0.mlp.W_out'], post) + A['blocks.0.mlp.b_out']
    logits = (x @ A['unembed.W_U'])[:, -1, :C]
    norm = math.sqrt(sum(float((v ** 2).sum()) for k2, v in A.items() if not k2.endswith('mask')))
    json.dump({'logits': logits.reshape(-1).tolist(), 'parameterNorm': norm}, open(f'{out_dir}/expected.json', 'w'))

if __name__ == '__main__':
    if sys.argv[1] == 'convert': convert(sys.argv[2], sys.argv[3])
    else: random_model(sys.argv[2], json.loads(sys.argv[3]))
