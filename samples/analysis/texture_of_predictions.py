"""Where do pseudo-labels put an object class, in terms of image texture, and how much of it do they cover?

For every image and every object class present in its ground truth, compares the mean colour-gradient magnitude (a texture
measure: |Sobel| of the grey image, averaged) of the pixels a run labels with the class against that of the ground-truth
pixels of the class. A run whose maps move onto textured regions (edges the feature similarity loss rewards) shows a
ratio above 1. Also prints, per (image, class), precision, recall and predicted / true area. Reads MSRC-layout masks with the 15-objects-on-background protocol (stuff classes merged into background).

usage: /usr/bin/python3 samples/analysis/texture_of_predictions.py DATA NAME=PSEUDO_LABEL_DIR [NAME=DIR ...]
"""
import os
import sys

import numpy as np
from PIL import Image

STUFF = {"building", "grass", "tree", "sky", "water", "road"}


def main():
    data, runs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    import json
    names = json.load(open(os.path.join(data, "classes.json")))["classes"]
    objects = [n for n in names if n not in STUFF]
    mapping = np.full(256, 255, dtype=np.int64)
    for i, n in enumerate(names):
        mapping[i] = 0 if n in STUFF else 1 + objects.index(n)
    ids = sorted(f[:-4] for f in os.listdir(os.path.join(data, "masks")))
    for name, folder in runs:
        ratios, inside, recall, area = [], [], [], []
        for i in ids:
            img = np.asarray(Image.open(os.path.join(data, "images", i + ".png")).convert("L"), dtype=np.float64) / 255
            gy, gx = np.gradient(img)
            texture = np.hypot(gx, gy)
            gt = mapping[np.asarray(Image.open(os.path.join(data, "masks", i + ".png")))]
            pred = np.asarray(Image.open(os.path.join(folder, i + ".png")))
            for c in set(np.unique(gt)) - {0, 255}:
                g, p = gt == c, pred == c
                recall.append((p & g).sum() / g.sum())
                area.append(p.sum() / g.sum())
                if g.sum() == 0 or p.sum() == 0:
                    continue
                ratios.append(texture[p].mean() / texture[g].mean())
                inside.append((p & g).sum() / p.sum())
        r = np.array(ratios)
        print(f"{name}: {len(r)} (image, class) pairs; texture of predicted / ground-truth region: median {np.median(r):.3f}, "
              f"mean {r.mean():.3f}, share above 1: {(r > 1).mean():.3f}; precision {np.mean(inside):.3f}, recall {np.mean(recall):.3f}, "
              f"predicted / true area: median {np.median(area):.3f}, pairs with no predicted pixel {np.mean(np.array(area) == 0):.3f}")


if __name__ == "__main__":
    main()
