"""What contour F against MSRC-21's coarse masks/ rewards in a pseudo-label's edges, and where runs put theirs.

MSRC-21's coarse masks leave void bands at object borders; the contour F-score counts ground-truth void as background
(docs/evaluation.md, as the method's definition asks) while mIoU ignores it, so the two measures need not agree on where a
good edge lies. This script measures both with no model: the nine precise masks (masks_hq/) stand for the true segmentation
and are scored as if they were pseudo-labels, with every object's edge moved by k pixels (k < 0: each object region eroded k
times by a 3x3 square; k > 0: grown k times into the background around it; chessboard metric, as
samples/analysis/boundary_profile.py). Printed per k: contour F against masks/ and against masks_hq/ (present-class mean, with
the pooled precision and recall over all classes), and mIoU against masks/ (void ignored). A measure that located edges the
way the precise masks do would peak at k = 0.

With NAME=INFER_OUT arguments (`hfpl infer --out` folders of runs trained with the same --background-classes) it also prints,
per run:
- where its pseudo-label edges lie on those nine images: the signed distance of each object-boundary pixel from the precise
  region of the same class (0 = the region's outermost ring, negative inside, positive outside; chessboard, clipped at
  +-40): the share within the contour tolerance (|d| <= 4 pixels on these images), beyond it inside and outside, and the
  quartiles;
- over every image of masks/, what its object-boundary pixels are to the measure: matched (within the tolerance of the same
  class's contour in masks/), or unmatched and lying on void, inside the class's annotated region, or on another label; and
  the share of masks/ contour pixels it matches (recall). The run's present-class contour F computed here must equal its
  metrics.json (the script stops if it does not).

Run with Debian's interpreter (apt: python3-pil python3-numpy):
  /usr/bin/python3 samples/analysis/void_band_bias.py ../shared/data/msrc21 --background-classes building,grass,tree,sky,water,road [--write-oracles DIR] [NAME=INFER_OUT ...]
--write-oracles DIR writes each shifted oracle as DIR/k{K}/NAME.png, so `hfpl eval` can score the same predictions (a
cross-check of this script's measure against the tool's).
"""
import json
import math
import os
import sys

import numpy as np
from PIL import Image

from boundary_profile import shift_any, signed_rings
from cam_extent import class_lookup, read_arguments

SHIFTS = range(-6, 7)
CLIP = 40


def shifted(labels, k):
    """Every object class's region (label > 0) eroded (k < 0) or grown into the background (k > 0) by |k| 3x3 steps."""
    out = labels.copy()
    for _ in range(abs(k)):
        step = out.copy()
        for c in np.unique(out[out > 0]):
            region = out == c
            if k < 0:
                step[region & shift_any(~region)] = 0  # edges of the image do not erode
            else:
                step[(step == 0) & shift_any(region)] = c
        out = step
    return out


def boundary(mask):
    """Pixels of a boolean mask that differ from their right, lower or lower-right neighbour."""
    out = np.zeros_like(mask)
    out[:, :-1] |= mask[:, :-1] != mask[:, 1:]
    out[:-1, :] |= mask[:-1, :] != mask[1:, :]
    out[:-1, :-1] |= mask[:-1, :-1] != mask[1:, 1:]
    return out


def tolerance(shape):
    """The contour F-score's matching distance in pixels: ceil(0.008 * image diagonal)."""
    return math.ceil(0.008 * math.hypot(*shape))


def disk_dilate(mask, radius):
    """A boolean mask grown by a disk of the given radius."""
    padded = np.pad(mask, radius)
    h, w = mask.shape
    out = np.zeros_like(mask)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dy * dy + dx * dx <= radius * radius:
                out |= padded[radius + dy:radius + dy + h, radius + dx:radius + dx + w]
    return out


class ContourCounts:
    """Per-class [matched predicted, predicted, matched truth, truth] boundary pixels, pooled over images."""

    def __init__(self):
        self.counts, self.present = {}, set()

    def add(self, prediction, truth):
        """truth: ground truth with void already read as background; prediction: class indices, no void.
        Returns {class: (predicted boundary, its pixels matched by the truth's)} for the classes the image has."""
        radius = tolerance(truth.shape)
        edges = {}
        for c in (set(np.unique(truth)) | set(np.unique(prediction))) - {0}:
            p, t = boundary(prediction == c), boundary(truth == c)
            matched = p & disk_dilate(t, radius)
            counts = self.counts.setdefault(int(c), np.zeros(4, dtype=np.int64))
            counts += [matched.sum(), p.sum(), (t & disk_dilate(p, radius)).sum(), t.sum()]
            if (truth == c).any():
                self.present.add(int(c))
            edges[int(c)] = (p, matched)
        return edges

    def scores(self):
        """(present-class mean F, pooled precision, pooled recall), in percent."""
        fs = []
        for c in sorted(self.present):
            mp, p, mt, t = self.counts[c]
            precision, recall = (mp / p if p else 1.0), (mt / t if t else 1.0)
            fs.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        total = sum(self.counts.values())
        return 100 * np.mean(fs), 100 * total[0] / max(total[1], 1), 100 * total[2] / max(total[3], 1)


def unmatched_edges(data, run, lookup):
    """One line: a run's object-boundary pixels against masks/ (matched; unmatched on void, inside the class, elsewhere, in
    percent of all) and the recall of masks/ contour pixels, with the contour F that checks the reading."""
    counts, kinds = ContourCounts(), np.zeros(4, dtype=np.int64)
    for file in sorted(os.listdir(os.path.join(run, "pseudo_labels"))):
        prediction = np.array(Image.open(os.path.join(run, "pseudo_labels", file))).astype(np.int64)
        coarse = lookup[np.array(Image.open(os.path.join(data, "masks", file))).astype(np.int64)]
        for c, (edge, matched) in counts.add(prediction, np.where(coarse == 255, 0, coarse)).items():
            missed = edge & ~matched
            kinds += [matched.sum(), (missed & (coarse == 255)).sum(), (missed & (coarse == c)).sum(),
                      (missed & (coarse != 255) & (coarse != c)).sum()]
    f, _, recall = counts.scores()
    expected = 100 * json.load(open(os.path.join(run, "metrics.json")))["report"]["contourF"]["presentClasses"]
    if abs(f - expected) > 1e-4:
        sys.exit(f"{run}: contour F {f:.4f} here, {expected:.4f} in metrics.json (not the same masks or mapping?)")
    share = 100 * kinds / kinds.sum()
    return (f"masks/ contour F {f:.2f}; edge pixels matched {share[0]:.1f} %, unmatched on void {share[1]:.1f} %, inside the "
            f"annotated class {share[2]:.1f} %, on another label {share[3]:.1f} %; recall {recall:.1f} %")


def edge_offsets(run, images):
    """One line: where a run's object-boundary pixels lie on the precise images, relative to the true contour."""
    offsets, tolerances = [], []
    for stem, hq, _ in images:
        prediction = np.array(Image.open(os.path.join(run, "pseudo_labels", stem + ".png"))).astype(np.int64)
        for c in np.unique(prediction[prediction > 0]):
            region = hq == c
            if not region.any():
                continue
            # signed_rings: -1 = the region's outermost ring, +1 = the first ring outside; read -1 as 0 (on the edge)
            distance = signed_rings(region, CLIP)
            distance = np.where(distance < 0, distance + 1, distance)
            offsets.append(np.clip(distance[boundary(prediction == c) & (hq != 255)], -CLIP, CLIP))
            tolerances.append(np.full(offsets[-1].size, tolerance(hq.shape)))
    offsets, tolerances = np.concatenate(offsets), np.concatenate(tolerances)
    inside, within = (offsets < -tolerances).mean(), (np.abs(offsets) <= tolerances).mean()
    return (f"edge pixels on the precise images {offsets.size}: within the tolerance of the true contour {100 * within:.1f} %, "
            f"farther inside {100 * inside:.1f} %, farther outside {100 * (1 - within - inside):.1f} %; "
            f"quartiles {' / '.join(f'{q:+.0f}' for q in np.percentile(offsets, [25, 50, 75]))} px")


def mean_iou(pairs, classes):
    """mIoU (percent) over the classes in ground truth or prediction; ground-truth void ignored."""
    confusion = np.zeros((classes, classes), dtype=np.int64)
    for prediction, truth in pairs:
        valid = truth != 255
        np.add.at(confusion, (truth[valid], prediction[valid]), 1)
    tp = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - tp
    return 100 * np.mean(tp[union > 0] / union[union > 0])


def main():
    data, options, runs = read_arguments(sys.argv[1:], write_oracles=None)
    background, oracles = options["background_classes"], options["write_oracles"]
    info = json.load(open(os.path.join(data, "classes.json")))
    lookup = class_lookup(info, background)
    classes = int(lookup[:len(info["classes"])].max()) + 1
    read = lambda folder, stem: lookup[np.array(Image.open(os.path.join(data, folder, stem + ".png"))).astype(np.int64)]
    stems = sorted(f[:-4] for f in os.listdir(os.path.join(data, "masks_hq")) if f.endswith(".png"))
    images = [(stem, read("masks_hq", stem), read("masks", stem)) for stem in stems]
    void_hq = sum((hq == 255).sum() for _, hq, _ in images) / sum(hq.size for _, hq, _ in images)
    void_coarse = sum((coarse == 255).sum() for _, _, coarse in images) / sum(c.size for _, _, c in images)
    print(f"{len(images)} images with precise masks; void: {100 * void_coarse:.1f} % of masks/, {100 * void_hq:.1f} % of "
          f"masks_hq/ (read as background in the oracle and, as the measure does, in both ground truths)")
    print(" k | contour F vs masks/: present, P, R | contour F vs masks_hq/: present, P, R | mIoU vs masks/")
    for k in SHIFTS:
        coarse_counts, precise_counts, pairs = ContourCounts(), ContourCounts(), []
        for stem, hq, coarse in images:
            prediction = shifted(np.where(hq == 255, 0, hq), k)
            coarse_counts.add(prediction, np.where(coarse == 255, 0, coarse))
            precise_counts.add(prediction, np.where(hq == 255, 0, hq))
            pairs.append((prediction, coarse))
            if oracles:
                os.makedirs(os.path.join(oracles, f"k{k}"), exist_ok=True)
                Image.fromarray(prediction.astype(np.uint8)).save(os.path.join(oracles, f"k{k}", stem + ".png"))
        a, b = coarse_counts.scores(), precise_counts.scores()
        print(f"{k:+2d} | {a[0]:6.2f} {a[1]:6.2f} {a[2]:6.2f} | {b[0]:6.2f} {b[1]:6.2f} {b[2]:6.2f} | {mean_iou(pairs, classes):6.2f}")
    for name, run in runs:
        print(f"{name}: {unmatched_edges(data, run, lookup)}")
        print(f"{name}: {edge_offsets(run, images)}")


if __name__ == "__main__":
    main()
