"""The NetSpec networks written in plain PyTorch (no torchvision), from docs/sanet.md.

Module attribute names ARE the state_dict names, and they must equal the parameter names that the
NetSpec spec gives (specs/*.yaml on branch dsl-front): the same safetensors file is loaded into both.
Every name lives in this file; `python3 nets.py --names sanet-tiny` prints the state_dict names and
shapes so that they can be diffed against the NetSpec side (`NetSpec.Benchmarks --list-params`).

Naming scheme, as specs/segmentation-base.yaml (branch dsl-front, e9d280d) names its nodes
(mmseg ResNetV1c / torchvision conventions):
  backbone.stem.{0,1,3,4,6,7}          deep stem: conv, bn, (relu), conv, bn, (relu), conv, bn, (relu); backbone.maxpool
  backbone.layer{1..4}.{j}.conv1|bn1|conv2|bn2|conv3|bn3|downsample.0|downsample.1
  head.sa{i}.conv_res.{0,1,3,4}        SA main branch (X_res): double_conv = conv bn relu conv bn relu
  head.sa{i}.conv_attn.{0,1,3,4}       SA attention branch after avgpool p, then resize (align_corners)
  head.se{i}.conv_res.{0,1,3,4} | shortcut.{0,1} | fc1 | fc2    the SE variant (attention: se)
  head.cls{i}                          conv1x1 C->K with bias, y_i
  head.mask_conv                       conv1x1 4K->K with bias
  head.cat_fc                          linear 4K->K with bias
  head.fcn.{0,1,4}                     FCNHead: conv3x3 (no bias), bn, (relu), (dropout), conv1x1 (bias)
Outputs: mask, dense, cat (SANet); mask (FCN). Losses: mask 1, cat alpha = 0.2, dense beta = 0.8.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHA = 0.2  # weight of L_cat
BETA = 0.8   # weight of L_den
IGNORE = 255


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)


def conv3(cin, cout, stride=1, dilation=1, bias=False):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=bias)


def conv1(cin, cout, stride=1, bias=False):
    return nn.Conv2d(cin, cout, 1, stride=stride, bias=bias)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride, dilation):
        super().__init__()
        cout = planes * 4
        self.conv1 = conv1(cin, planes)
        self.bn1 = bn(planes)
        self.conv2 = conv3(planes, planes, stride, dilation)
        self.bn2 = bn(planes)
        self.conv3 = conv1(planes, cout)
        self.bn3 = bn(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(conv1(cin, cout, stride), bn(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        sc = x if self.downsample is None else self.downsample(x)
        return F.relu(out + sc)


def make_stage(cin, planes, blocks, stride, dilation):
    # In a dilated stage the first block uses half the dilation (layer3: 1 then 2; layer4: 2 then 4).
    first = dilation // 2 if dilation > 1 else 1
    layers = [Bottleneck(cin, planes, stride, first)]
    for _ in range(1, blocks):
        layers.append(Bottleneck(planes * 4, planes, 1, dilation))
    return nn.Sequential(*layers)


class Backbone(nn.Module):
    """Dilated ResNet 'v1c' (deep stem), output stride 8. Returns c1..c4."""

    def __init__(self, stem, planes, blocks, strides, dilations):
        super().__init__()
        s0, s1, s2 = stem
        self.stem = nn.Sequential(
            conv3(3, s0, stride=2), bn(s0), nn.ReLU(inplace=True),
            conv3(s0, s1), bn(s1), nn.ReLU(inplace=True),
            conv3(s1, s2), bn(s2), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = s2
        for i in range(4):
            setattr(self, f"layer{i + 1}", make_stage(cin, planes[i], blocks[i], strides[i], dilations[i]))
            cin = planes[i] * 4
        self.channels = [p * 4 for p in planes]

    def forward(self, x):
        x = self.maxpool(self.stem(x))
        c1 = self.layer1(x)
        c2 = self.layer2(c1)
        c3 = self.layer3(c2)
        c4 = self.layer4(c3)
        return c1, c2, c3, c4


def double_conv(cin, c):
    """conv3x3 BN ReLU twice, named 0 .. 5 (the spec's double_conv block)."""
    return nn.Sequential(conv3(cin, c), bn(c), nn.ReLU(inplace=True), conv3(c, c), bn(c), nn.ReLU(inplace=True))


class SA(nn.Module):
    """Squeeze-and-attention (Eq. 4-5): X_out = X_attn * X_res + X_attn, gate none (or sigmoid)."""

    def __init__(self, cin, c, pool, gate="none"):
        super().__init__()
        self.pool = pool
        self.gate = gate
        self.conv_res = double_conv(cin, c)
        self.conv_attn = double_conv(cin, c)

    def forward(self, x):
        h, w = x.shape[-2:]
        res = self.conv_res(x)
        a = self.conv_attn(F.avg_pool2d(x, self.pool, self.pool))
        a = F.interpolate(a, size=(h, w), mode="bilinear", align_corners=True)
        if self.gate == "sigmoid":
            a = torch.sigmoid(a)
        return a * res + a


class SE(nn.Module):
    """SE variant (Table 3): X_out = w * P(X_in) + F(X_in), w = sigmoid(fc2(relu(fc1(gap(X_in)))))."""

    def __init__(self, cin, c, reduction=16):
        super().__init__()
        self.conv_res = double_conv(cin, c)
        self.shortcut = None if cin == c else nn.Sequential(conv1(cin, c), bn(c))
        self.fc1 = nn.Linear(cin, max(1, c // reduction))
        self.fc2 = nn.Linear(max(1, c // reduction), c)

    def forward(self, x):
        f = self.conv_res(x)
        p = x if self.shortcut is None else self.shortcut(x)
        w = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean(dim=(2, 3))))))
        return w[:, :, None, None] * p + f


def fcn_head(cin, mid, k, dropout):
    return nn.Sequential(conv3(cin, mid), bn(mid), nn.ReLU(inplace=True), nn.Dropout(dropout), conv1(mid, k, bias=True))


class SAHead(nn.Module):
    def __init__(self, chans, k, c, pool, fcn_mid, dropout, block="sa"):
        super().__init__()
        self.block = block
        for i, ch in enumerate(chans, 1):
            setattr(self, f"{block}{i}", SA(ch, c, pool) if block == "sa" else SE(ch, c))
            setattr(self, f"cls{i}", conv1(c, k, bias=True))
        self.mask_conv = conv1(4 * k, k, bias=True)
        self.cat_fc = nn.Linear(4 * k, k)
        self.fcn = fcn_head(chans[3], fcn_mid, k, dropout)

    def forward(self, feats, size):
        ys = [getattr(self, f"cls{i}")(getattr(self, f"{self.block}{i}")(f)) for i, f in enumerate(feats, 1)]
        s8 = ys[1].shape[-2:]
        ys[0] = F.interpolate(ys[0], size=s8, mode="bilinear", align_corners=True)
        z = torch.cat(ys, 1)
        mask = self.mask_conv(z)
        cat = self.cat_fc(z.mean(dim=(2, 3)))
        dense = self.fcn(feats[3]) + ys[3]
        mask = F.interpolate(mask, size=size, mode="bilinear", align_corners=True)
        dense = F.interpolate(dense, size=size, mode="bilinear", align_corners=True)
        return {"mask": mask, "dense": dense, "cat": cat}


class FCNHeadOnly(nn.Module):
    def __init__(self, cin, mid, k, dropout):
        super().__init__()
        self.fcn = fcn_head(cin, mid, k, dropout)

    def forward(self, feats, size):
        return {"mask": F.interpolate(self.fcn(feats[3]), size=size, mode="bilinear", align_corners=True)}


class SegNet(nn.Module):
    def __init__(self, name, backbone, head, kind):
        super().__init__()
        self.spec_name = name
        self.kind = kind  # 'sanet' (three losses) or 'fcn' (one loss)
        self.backbone = backbone
        self.head = head
        self.num_classes = None

    def forward(self, x):
        return self.head(self.backbone(x), x.shape[-2:])

    def param_groups(self, lr):
        """Backbone at lr, head at 10x lr (PyTorch-Encoding), weight decay 1e-4."""
        return [{"params": list(self.backbone.parameters()), "lr": lr},
                {"params": list(self.head.parameters()), "lr": 10 * lr}]


def presence_targets(labels, k, ignore=IGNORE):
    """t(n, j) = 1 when class j occurs among image n's non-ignored pixels."""
    n = labels.shape[0]
    flat = labels.reshape(n, -1).long()
    valid = flat != ignore
    onehot = torch.zeros(n, k + 1, dtype=torch.float32, device=labels.device)
    onehot.scatter_(1, torch.where(valid, flat, torch.full_like(flat, k)), 1.0)
    return onehot[:, :k]


def total_loss(net, out, labels):
    """L = L_mask + 0.2 L_cat + 0.8 L_den (SANet, Eq. 6-9); FCN: one softmax CE."""
    lmask = F.cross_entropy(out["mask"], labels, ignore_index=IGNORE)
    if net.kind == "fcn":
        return lmask, {"mask": lmask}
    lden = F.cross_entropy(out["dense"], labels, ignore_index=IGNORE)
    lcat = F.binary_cross_entropy_with_logits(out["cat"], presence_targets(labels, out["cat"].shape[1]))
    return lmask + ALPHA * lcat + BETA * lden, {"mask": lmask, "cat": lcat, "dense": lden}


R50 = dict(stem=(64, 64, 128), planes=(64, 128, 256, 512), blocks=(3, 4, 6, 3), strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4))
TINY = dict(stem=(16, 16, 32), planes=(8, 16, 32, 64), blocks=(1, 1, 1, 1), strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4))


def build(name):
    """sanet-tiny, sanet-tiny-se, sanet-r50, fcn-r50, fcn-tiny (underscores accepted)."""
    name = name.replace("_", "-")
    if name in ("sanet-tiny", "sanet-tiny-se", "fcn-tiny"):
        cfg, k, c, mid = TINY, 6, 32, 64
    elif name in ("sanet-r50", "fcn-r50"):
        cfg, k, c, mid = R50, 59, 256, 512
    else:
        raise SystemExit(f"unknown net '{name}': sanet-tiny, sanet-tiny-se, sanet-r50, fcn-r50, fcn-tiny")
    bb = Backbone(**cfg)
    if name.startswith("fcn"):
        net = SegNet(name, bb, FCNHeadOnly(bb.channels[3], mid, k, 0.1), "fcn")
    else:
        block = "se" if name.endswith("-se") else "sa"
        net = SegNet(name, bb, SAHead(bb.channels, k, c, 2, mid, 0.1, block), "sanet")
    net.num_classes = k
    return net


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", metavar="NET", required=True, help="print state_dict names and shapes of NET")
    a = ap.parse_args()
    total = 0
    for n, t in build(a.names).state_dict().items():
        print(n, list(t.shape), str(t.dtype).replace("torch.", ""))
        total += t.numel() if t.dtype.is_floating_point else 0
    print(f"# {total} float values")
