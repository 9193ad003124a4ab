#!/usr/bin/env python3
"""Per-class contour F of `hfpl infer` outputs against MSRC's precise masks (masks_hq/), to see which class moves the mean.

    python3 scripts/contour_classes.py --data ../shared/data/msrc21 RUN/out [RUN2/out ...]

Each RUN/out is an `hfpl infer --out` folder: its pseudo_labels/*.png are scored against the dataset's masks_hq/*.png, read
through the background mapping recorded in RUN/out/metrics.json. The measure is the one hfpl reports (docs/evaluation.md):
boundary = pixels that differ from their right, lower or lower-right neighbour; tolerance ceil(0.008 * image diagonal)
pixels with a disk; precision and recall summed over images per class; F = 2PR / (P + R). Printed per foreground class
present in the masks: F in percent and the images it comes from; last, the mean over those classes, which must equal the
"present classes" value of metrics.json (the script stops if it does not). Standard library only (any Python 3.8+).

On MSRC-21's nine precise masks read as objects on background, seven object classes are present and six of them lie in a
single image, so each class's F is one object's outline: finding or missing one object moves the mean by several points.
"""
import math
import os
import sys

from confusion import read_index_png, run_arguments, run_labels


def boundary(labels, height, width, k):
    """Set of (y, x) on the boundary of the binary mask labels == k."""
    points = set()
    for y in range(height):
        lower = y + 1 < height
        for x in range(width):
            i = y * width + x
            own = labels[i] == k
            right = x + 1 < width
            if (right and (labels[i + 1] == k) != own) or (lower and (labels[i + width] == k) != own) \
                    or (right and lower and (labels[i + width + 1] == k) != own):
                points.add((y, x))
    return points


def matched(points, other, radius):
    """How many of points lie within the disk of radius `radius` around some point of other."""
    disk = [(dy, dx) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1) if dy * dy + dx * dx <= radius * radius]
    return sum(1 for y, x in points if any((y + dy, x + dx) in other for dy, dx in disk))


def class_scores(data, run):
    """{class name: (F, [images])} over the foreground classes present in masks_hq/, and metrics.json's present-class mean."""
    metrics, names, table = run_labels(data, run)
    if not metrics['model'].get('backgroundClasses'):
        sys.exit(f'{run}: trained without --background-classes; this script scores the objects-on-background protocol')
    counts = {}  # class -> [matched predicted, predicted, matched truth, truth]
    images = {}
    folder = os.path.join(data, 'masks_hq')
    for file in sorted(os.listdir(folder)):
        width, height, truth = read_index_png(os.path.join(folder, file))
        truth = truth.translate(table)
        size = read_index_png(os.path.join(run, 'pseudo_labels', file))
        if size[:2] != (width, height):
            raise ValueError(f'{file}: pseudo-label is {size[:2]}, mask is {(width, height)}')
        prediction = size[2]
        radius = math.ceil(0.008 * math.hypot(height, width))
        for k in (set(truth) | set(prediction)) - {0, 255}:
            t, p = boundary(truth, height, width, k), boundary(prediction, height, width, k)
            c = counts.setdefault(k, [0, 0, 0, 0])
            c[0] += matched(p, t, radius)
            c[1] += len(p)
            c[2] += matched(t, p, radius)
            c[3] += len(t)
            if k in truth:
                images.setdefault(k, []).append(os.path.splitext(file)[0])
    result = {}
    for k in sorted(images):
        mp, p, mt, t = counts[k]
        precision = mp / p if p else 1.0
        recall = mt / t if t else 1.0
        f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[names[k]] = (f, images[k])
    mean = sum(f for f, _ in result.values()) / len(result)
    expected = metrics['report']['preciseContourF']['presentClasses']
    if abs(mean - expected) > 1e-6:
        sys.exit(f'{run}: present-class mean {mean:.6f} here, {expected:.6f} in metrics.json (not the same masks or mapping?)')
    return result, mean


def main():
    args = run_arguments(__doc__, 'masks_hq')
    results = [class_scores(args.data, run) for run in args.runs]
    print(f"{'class':10s} {'images':18s}" + ''.join(f' {run[-24:]:>24s}' for run in args.runs))
    for name, (_, files) in results[0][0].items():
        print(f'{name:10s} {",".join(files):18s}' + ''.join(f' {100 * r[name][0]:24.1f}' for r, _ in results))
    print(f"{'mean':10s} {'':18s}" + ''.join(f' {100 * mean:24.2f}' for _, mean in results))


if __name__ == '__main__':
    main()
