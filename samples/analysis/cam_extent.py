"""How far each labelled object class's CAM reaches, from the normalised CAMs `hfpl infer` writes (cams/NAME.npy).

For every (image, labelled object class) pair it measures, against the ground-truth mask:
- positive recall: the share of the class's ground-truth pixels where the CAM is above zero (the CAM's support;
  no background threshold can give the class a pixel outside it);
- support share: the share of the image's valid pixels where the CAM is above zero;
- mean CAM inside and outside the class's ground truth, and the share of its ground truth above 0.15 of the peak.
Prints the mean of each over all pairs, one line per run. With --background-classes the masks are read with those
classes as background (class 0), as `hfpl` reads them.
Run with Debian's interpreter (apt: python3-pil python3-numpy):
  /usr/bin/python3 samples/analysis/cam_extent.py ../shared/data/msrc21 --background-classes building,grass,tree,sky,water,road NAME=INFER_OUT [...]
"""
import json
import os
import sys

import numpy as np
from PIL import Image


def class_lookup(info, background):
    names = info["classes"]
    lookup = np.arange(256, dtype=np.int64)
    if not background:
        return lookup
    merged = {names.index(n) for n in background}
    objects = [c for c in range(len(names)) if c not in merged]
    for c in merged:
        lookup[c] = 0
    for i, c in enumerate(objects):
        lookup[c] = i + 1
    return lookup


def read_arguments(argv, **defaults):
    """The analysis scripts' command line: DATA, then --flag value options (the keyword names with '_' for '-'; values keep
    their default's type, --background-classes is a comma-separated list), then NAME=INFER_OUT arguments.
    Returns (data, {name: value}, [(NAME, INFER_OUT)])."""
    args = list(argv)
    if not args:
        sys.exit("usage: DATA [--option value ...] [NAME=INFER_OUT ...]")
    data = args.pop(0)
    options = {"background_classes": [], **defaults}
    while args and args[0].startswith("--"):
        key = args[0][2:].replace("-", "_")
        if key not in options or len(args) < 2:
            sys.exit(f"unknown option or missing value: {args[0]}")
        value = args[1]
        default = options[key]
        try:
            options[key] = value.split(",") if key == "background_classes" else value if default is None else type(default)(value)
        except ValueError:
            sys.exit(f"{args[0]} {value}: expected {type(default).__name__}")
        args = args[2:]
    if bad := [a for a in args if "=" not in a]:
        sys.exit(f"expected NAME=INFER_OUT, got {bad[0]}")
    return data, options, [tuple(a.split("=", 1)) for a in args]


def main():
    data, options, runs = read_arguments(sys.argv[1:])
    background = options["background_classes"]
    info = json.load(open(os.path.join(data, "classes.json")))
    ignore = info.get("ignore_index", 255)
    lookup = class_lookup(info, background)
    for name, run in runs:
        folder = os.path.join(run, "cams")
        rows = []
        for file in sorted(f for f in os.listdir(folder) if f.endswith(".npy") and not f.endswith(".keys.npy")):
            stem = file[:-4]
            cams = np.load(os.path.join(folder, file))
            keys = np.load(os.path.join(folder, stem + ".keys.npy"))
            truth = lookup[np.array(Image.open(os.path.join(data, "masks", stem + ".png"))).astype(np.int64)]
            valid = truth != ignore
            for cam, key in zip(cams, keys):
                if key == 0 and background:
                    continue
                inside = (truth == key) & valid
                outside = (truth != key) & valid
                if not inside.any() or not outside.any():
                    continue
                rows.append((np.mean(cam[inside] > 0), np.mean(cam[valid] > 0), cam[inside].mean(), cam[outside].mean(),
                             np.mean(cam[inside] > 0.15)))
        r = np.array(rows)
        print(f"{name}: {len(r)} pairs; positive recall {r[:, 0].mean():.3f}, support share {r[:, 1].mean():.3f}, "
              f"mean CAM inside {r[:, 2].mean():.3f} / outside {r[:, 3].mean():.3f}, recall above 0.15 {r[:, 4].mean():.3f}")


if __name__ == "__main__":
    main()
