"""How each run's normalised CAM falls off across the ground-truth contour, from the CAMs `hfpl infer` writes (cams/NAME.npy).

For every (image, labelled object class) pair, every valid pixel gets a signed distance to the class's ground-truth region
in pixels (chessboard metric, from repeated 3x3 erosion and dilation): -1 is the region's outermost ring, -2 the next
one inwards, +1 the first ring outside it, and so on up to --radius. The mean normalised CAM of the class at each distance,
over all pairs, is the run's profile. A pseudo-label cut at background threshold t ends where the profile crosses t, so:
- "at contour" (the mean of the rings -1 and +1) is the threshold that would put the pseudo-label's edge on the true one;
- "drop" (ring -4 minus ring +4) says how sharp the edge is in the map; higher is sharper;
- "inside" and "far" are the mean CAM over the whole region and beyond the radius.
Ground-truth void is skipped; with --masks masks_hq only the images that have a precise mask are used.
Run with Debian's interpreter (apt: python3-pil python3-numpy):
  /usr/bin/python3 samples/analysis/boundary_profile.py ../shared/data/msrc21 --background-classes building,grass,tree,sky,water,road [--masks masks_hq] [--radius 12] NAME=INFER_OUT [...]
"""
import json
import os
import sys

import numpy as np
from PIL import Image

from cam_extent import class_lookup, read_arguments  # the same class mapping as hfpl's --background-classes


def shift_any(mask):
    """3x3 dilation of a boolean mask (edges padded with False)."""
    padded = np.pad(mask, 1)
    out = np.zeros_like(mask)
    h, w = mask.shape
    for dy in range(3):
        for dx in range(3):
            out |= padded[dy:dy + h, dx:dx + w]
    return out


def signed_rings(region, radius):
    """Signed chessboard distance to the region's edge, clipped to [-radius-1, radius+1]; 0 never occurs."""
    distance = np.full(region.shape, radius + 1, dtype=np.int64)
    distance[region] = -(radius + 1)
    inner, outer = region.copy(), region.copy()
    for r in range(1, radius + 1):
        eroded = ~shift_any(~inner)
        distance[inner & ~eroded] = -r
        inner = eroded
        grown = shift_any(outer)
        distance[grown & ~outer] = r
        outer = grown
    return distance


def main():
    data, options, runs = read_arguments(sys.argv[1:], masks="masks", radius=12)
    background, masks, radius = options["background_classes"], options["masks"], options["radius"]
    if radius < 4:
        sys.exit(f"--radius {radius}: at least 4 (the drop is read between rings -4 and +4)")
    info = json.load(open(os.path.join(data, "classes.json")))
    ignore = info.get("ignore_index", 255)
    lookup = class_lookup(info, background)
    rings = list(range(-radius, 0)) + list(range(1, radius + 1))
    print("run: pairs, at contour, drop (ring -4 - ring +4), inside, far | profile rings " + " ".join(map(str, rings)))
    for name, run in runs:
        folder = os.path.join(run, "cams")
        sums = np.zeros(2 * radius + 3)
        counts = np.zeros(2 * radius + 3)
        inside_means, pairs = [], 0
        for file in sorted(f for f in os.listdir(folder) if f.endswith(".npy") and not f.endswith(".keys.npy")):
            stem = file[:-4]
            mask_path = os.path.join(data, masks, stem + ".png")
            if not os.path.exists(mask_path):
                continue
            cams = np.load(os.path.join(folder, file))
            keys = np.load(os.path.join(folder, stem + ".keys.npy"))
            truth = lookup[np.array(Image.open(mask_path)).astype(np.int64)]
            valid = truth != ignore
            for cam, key in zip(cams, keys):
                if key == 0 and background:
                    continue
                region = truth == key  # never void: the ignore index is no class
                if not region.any() or not (valid & ~region).any():
                    continue
                distance = signed_rings(region, radius)[valid]
                values = cam[valid]
                index = distance + radius + 1
                sums += np.bincount(index, weights=values, minlength=sums.size)
                counts += np.bincount(index, minlength=counts.size)
                inside_means.append(cam[region].mean())
                pairs += 1
        profile = sums / np.maximum(counts, 1)
        ring = {d: profile[d + radius + 1] for d in range(-radius - 1, radius + 2) if d != 0}
        at_contour = (ring[-1] + ring[1]) / 2
        print(f"{name}: {pairs}, {at_contour:.3f}, {ring[-4] - ring[4]:.3f}, {np.mean(inside_means):.3f}, "
              f"{ring[radius + 1]:.3f} | " + " ".join(f"{ring[d]:.3f}" for d in rings))


if __name__ == "__main__":
    main()
