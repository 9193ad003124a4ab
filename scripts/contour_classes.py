#!/usr/bin/env python3
"""Per-class contour F (with its precision and recall) of `hfpl infer` outputs, to see which class moves the mean.

    python3 scripts/contour_classes.py --data ../shared/data/msrc21 RUN/out [RUN2/out ...]
    python3 scripts/contour_classes.py --data ../shared/data/msrc21 --masks masks --seeds 0,1,2 'DIR/cam-s{}/out' 'DIR/campp-s{}/out'

Each RUN/out is an `hfpl infer --out` folder: its pseudo_labels/*.png are scored against the dataset's masks_hq/*.png (or
--masks masks: the 395 coarse masks/, about 40 s per run), read through the background mapping recorded in
RUN/out/metrics.json. The measure is the one hfpl reports (docs/evaluation.md): boundary = pixels that differ from their
right, lower or lower-right neighbour; tolerance ceil(0.008 * image diagonal) pixels with a disk; precision and recall
summed over images per class; F = 2PR / (P + R). Printed per foreground class present in the masks: F, precision and
recall in percent and the images it comes from (their number for masks/); last, the mean over those classes, which must
equal the "present classes" value of metrics.json for those masks (the script stops if it does not). Standard library only
(any Python 3.8+).

--seeds S,S,... takes exactly two run patterns, a baseline and its "++" variant, with {} standing for the seed, and prints per
class the mean over seeds of the variant's F, precision and recall minus the baseline's, and each seed's F difference.

On MSRC-21's nine precise masks read as objects on background, seven object classes are present and six of them lie in a
single image, so each class's F is one object's outline: finding or missing one object moves the mean by several points.
"""
import math
import os
import statistics
import sys

from confusion import read_index_png, run_arguments, run_labels


def boundaries(labels, height, width):
    """{class: set of (y, x)} of the pixels on the boundary of each class's binary mask: a pixel that differs from its right,
    lower or lower-right neighbour is on the boundary of both their classes."""
    points = {}
    for y in range(height):
        lower = y + 1 < height
        for x in range(width):
            i = y * width + x
            right = x + 1 < width
            neighbours = ([i + 1] if right else []) + ([i + width] if lower else []) + ([i + width + 1] if right and lower else [])
            for j in neighbours:
                if labels[j] != labels[i]:
                    points.setdefault(labels[i], set()).add((y, x))
                    points.setdefault(labels[j], set()).add((y, x))
    return points


def matched(points, other, radius):
    """How many of points lie within the disk of radius `radius` around some point of other."""
    disk = [(dy, dx) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1) if dy * dy + dx * dx <= radius * radius]
    return sum(1 for y, x in points if any((y + dy, x + dx) in other for dy, dx in disk))


def class_scores(data, run, masks='masks_hq'):
    """{class name: (F, precision, recall, [images])} over the foreground classes present in the masks, and metrics.json's
    present-class mean for those masks."""
    metrics, names, table = run_labels(data, run)
    if not metrics['model'].get('backgroundClasses'):
        sys.exit(f'{run}: trained without --background-classes; this script scores the objects-on-background protocol')
    counts = {}  # class -> [matched predicted, predicted, matched truth, truth]
    images = {}
    folder = os.path.join(data, masks)
    for file in sorted(os.listdir(folder)):
        width, height, truth = read_index_png(os.path.join(folder, file))
        truth = truth.translate(table)
        size = read_index_png(os.path.join(run, 'pseudo_labels', file))
        if size[:2] != (width, height):
            raise ValueError(f'{file}: pseudo-label is {size[:2]}, mask is {(width, height)}')
        prediction = size[2]
        radius = math.ceil(0.008 * math.hypot(height, width))
        truth_points, predicted_points = boundaries(truth, height, width), boundaries(prediction, height, width)
        for k in (set(truth) | set(prediction)) - {0, 255}:
            t, p = truth_points.get(k, set()), predicted_points.get(k, set())
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
        result[names[k]] = (f, precision, recall, images[k])
    mean = sum(f for f, *_ in result.values()) / len(result)
    expected = metrics['report']['preciseContourF' if masks == 'masks_hq' else 'contourF']['presentClasses']
    if abs(mean - expected) > 1e-6:
        sys.exit(f'{run}: present-class mean {mean:.6f} here, {expected:.6f} in metrics.json (not the same masks or mapping?)')
    return result, mean


def print_runs(args):
    results = [class_scores(args.data, run, args.masks) for run in args.runs]
    print(f"{'class':10s} {'images':18s}" + ''.join(f' {run[-24:]:>24s}' for run in args.runs))
    for name, (*_, files) in results[0][0].items():
        shown = ','.join(files) if len(files) <= 2 else f'{len(files)} images'
        print(f'{name:10s} {shown:18s}' + ''.join(f' {"F %5.1f P %5.1f R %5.1f" % tuple(100 * v for v in r[name][:3]):>24s}'
                                                  for r, _ in results))
    print(f"{'mean':10s} {'':18s}" + ''.join(f' {"F %5.2f" % (100 * mean):>24s}' for _, mean in results))


def print_seeds(args):
    try:
        seeds = [int(s) for s in args.seeds.split(',')]
    except ValueError:
        sys.exit(f'--seeds: expected comma-separated integers, got {args.seeds}')
    if len(args.runs) != 2 or any('{}' not in run for run in args.runs):
        sys.exit('--seeds: give exactly two run patterns with {} for the seed, the baseline first')
    base = [class_scores(args.data, args.runs[0].format(s), args.masks) for s in seeds]
    plus = [class_scores(args.data, args.runs[1].format(s), args.masks) for s in seeds]
    print(f'{args.runs[1]} minus {args.runs[0]}, {args.masks}/, seeds {args.seeds}: mean over seeds of the difference')
    print(f"{'class':10s} {'base F':>7s} {'dF':>6s} {'dP':>6s} {'dR':>6s}  F difference per seed")
    for name in base[0][0]:
        d = [[100 * (p[0][name][m] - b[0][name][m]) for b, p in zip(base, plus)] for m in range(3)]
        print(f'{name:10s} {100 * statistics.mean(b[0][name][0] for b in base):7.1f} '
              + ' '.join(f'{statistics.mean(x):+6.1f}' for x in d) + '  ' + ', '.join(f'{x:+.1f}' for x in d[0]))
    d = [100 * (p[1] - b[1]) for b, p in zip(base, plus)]
    print(f"{'mean':10s} {100 * statistics.mean(b[1] for b in base):7.2f} {statistics.mean(d):+6.2f}")


def main():
    args = run_arguments(__doc__, 'masks_hq', ('--masks', 'masks folder to score against: masks_hq or masks', 'masks_hq'),
                         ('--seeds', 'comma-separated seeds: the two runs are a baseline and a variant pattern with {}', ''))
    if args.masks not in ('masks_hq', 'masks'):
        sys.exit(f'--masks: expected masks_hq or masks, got {args.masks}')
    print_seeds(args) if args.seeds else print_runs(args)


if __name__ == '__main__':
    main()
