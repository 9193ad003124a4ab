"""How the feature similarity loss's pair weights balance on real photographs, for a CAM grid and a sigma.

For every eighth image of an MSRC-layout folder: resize to 224x224 (the training crop), build the FSL features
(docs/method.md section 2: bilinear, align_corners=True, to the grid; or area averaging for comparison), and report over
all pairs i != j, weighted by the spatial kernel k_ij:
  - the share of pairs with w_ij < 0 (similar colours: differing predictions are penalised), and
  - the mean of w_ij (> 0: the loss mostly rewards predictions that differ, i.e. it pushes maps apart);
and, for horizontally and vertically adjacent cells only, the mean of w (how strongly neighbours are tied together).
Run with Debian's interpreter (apt: python3-torch python3-pil):
  /usr/bin/python3 samples/analysis/fsl_edge_weight_balance.py ../shared/data/msrc21
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

MU = 2.5


def balance(files, grid, sigma, mode):
    negative = total = weighted = 0.0
    ys, xs = torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij")
    positions = torch.stack([ys.flatten(), xs.flatten()], 1).double()
    k = torch.exp(-torch.cdist(positions, positions) ** 2 / (2 * sigma ** 2))
    k.fill_diagonal_(0)
    for path in files:
        image = torch.tensor(np.array(Image.open(path).convert("RGB")), dtype=torch.float64).permute(2, 0, 1)[None] / 255
        image = F.interpolate(image, (224, 224), mode="bilinear", align_corners=False)
        if mode == "bilinear":
            features = F.interpolate(image, (grid, grid), mode="bilinear", align_corners=True).clamp(0, 1)
        else:
            features = F.adaptive_avg_pool2d(image, (grid, grid))
        x = features[0].reshape(3, -1).t()
        dx = (torch.cdist(x, x, p=1) / 3).clamp(0, 1)
        w = torch.tanh(MU + torch.log((dx + 1e-5) / (1 - dx + 1e-5)))
        negative += (k * (w < 0)).sum().item()
        total += k.sum().item()
        weighted += (k * w).sum().item()
    return negative / total, weighted / total


def neighbours(files, size, grid, mode):
    horizontal, vertical = [], []
    for path in files:
        image = torch.tensor(np.array(Image.open(path).convert("RGB")), dtype=torch.float64).permute(2, 0, 1)[None] / 255
        image = F.interpolate(image, (size, size), mode="bilinear", align_corners=False)
        if mode == "bilinear":
            g = F.interpolate(image, (grid, grid), mode="bilinear", align_corners=True).clamp(0, 1)[0]
        else:
            g = F.adaptive_avg_pool2d(image, (grid, grid))[0]
        for pairs, out in (((g[:, :, 1:], g[:, :, :-1]), horizontal), ((g[:, 1:, :], g[:, :-1, :]), vertical)):
            dx = ((pairs[0] - pairs[1]).abs().sum(0) / 3).clamp(0, 1)
            out.append(torch.tanh(MU + torch.log((dx + 1e-5) / (1 - dx + 1e-5))).flatten())
    return torch.cat(horizontal).mean().item(), torch.cat(vertical).mean().item()


def main():
    folder = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/msrc21", "images")
    files = [os.path.join(folder, f) for f in sorted(os.listdir(folder))][::8]
    print(f"{len(files)} images of {folder}")
    print("| grid | sigma (cells) | features | share of pairs with w < 0 | mean w |")
    print("|---|---|---|---|---|")
    for grid, sigma in [(14, 5.0), (14, 1.25), (28, 2.5), (56, 5.0)]:
        for mode in ["bilinear", "area"]:
            share, mean = balance(files, grid, sigma, mode)
            print(f"| {grid}x{grid} | {sigma:g} | {mode} | {share:.3f} | {mean:+.3f} |")
    print()
    print("| crop | grid (pixels per cell) | features | mean w, horizontal neighbours | mean w, vertical neighbours |")
    print("|---|---|---|---|---|")
    for size, grid, mode in [(224, 14, "bilinear"), (224, 14, "area"), (224, 28, "bilinear"), (448, 56, "bilinear")]:
        h, v = neighbours(files, size, grid, mode)
        print(f"| {size} | {grid}x{grid} ({size // grid}) | {mode} | {h:+.3f} | {v:+.3f} |")


if __name__ == "__main__":
    main()
