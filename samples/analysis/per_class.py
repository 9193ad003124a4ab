"""Per-class IoU, precision and recall of pseudo-label folders against an MSRC-layout folder's masks.

Each RUN is a folder holding pseudo_labels/*.png (class indices, as `hfpl infer` and `hfpl demo` write them). Also
prints the mean share of each image's valid pixels given to its largest predicted class (the same for the ground
truth), which shows one class taking over an image.
Run with Debian's interpreter (apt: python3-pil python3-numpy):
  /usr/bin/python3 samples/analysis/per_class.py ../shared/data/msrc21 NAME=RUN [NAME=RUN ...]
"""
import json
import os
import sys

import numpy as np
from PIL import Image


def main():
    data, runs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    info = json.load(open(os.path.join(data, "classes.json")))
    names, ignore = info["classes"], info.get("ignore_index", 255)
    count = len(names)
    results = {}
    for name, run in runs:
        folder = os.path.join(run, "pseudo_labels")
        confusion = np.zeros((count, count), np.int64)
        largest, truth_largest = [], []
        for file in sorted(os.listdir(folder)):
            prediction = np.array(Image.open(os.path.join(folder, file))).astype(np.int64)
            truth = np.array(Image.open(os.path.join(data, "masks", file))).astype(np.int64)
            valid = truth != ignore
            if not valid.any():
                continue
            p, t = prediction[valid], truth[valid]
            confusion += np.bincount(t * count + p, minlength=count * count).reshape(count, count)
            largest.append(np.bincount(p).max() / p.size)
            truth_largest.append(np.bincount(t).max() / t.size)
        tp = np.diag(confusion)
        with np.errstate(invalid="ignore", divide="ignore"):
            iou = tp / (confusion.sum(0) + confusion.sum(1) - tp)
            precision, recall = tp / confusion.sum(0), tp / confusion.sum(1)
        results[name] = (iou, precision, recall)
        print(f"{name}: mIoU {100 * np.nanmean(iou):.2f}; largest predicted class covers {100 * np.mean(largest):.1f} % "
              f"of an image on average (ground truth {100 * np.mean(truth_largest):.1f} %)")
    print()
    print("| class | " + " | ".join(f"{n} IoU / P / R" for n, _ in runs) + " |")
    print("|---|" + "---|" * len(runs))
    for c in range(count):
        cells = " | ".join(f"{100 * results[n][0][c]:.0f} / {100 * results[n][1][c]:.0f} / {100 * results[n][2][c]:.0f}" for n, _ in runs)
        print(f"| {names[c]} | {cells} |")


if __name__ == "__main__":
    main()
