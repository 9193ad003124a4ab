#!/usr/bin/env python3
"""Where do pseudo-labels go wrong? Per-class IoU, precision and recall of `hfpl infer` outputs, and for chosen classes
where their ground-truth pixels went and where their predicted pixels came from.

    python3 scripts/confusion.py --data ../shared/data/msrc21 RUN/out [RUN2/out ...] [--classes cow,sheep]

Each RUN/out is an `hfpl infer --out` folder: its pseudo_labels/*.png are compared with the dataset's masks/*.png, read
through the background mapping recorded in RUN/out/metrics.json (so a run trained with --background-classes is scored
as it was evaluated); it stops if its per-class IoU differs from the one metrics.json recorded. Pixels that are void (255) in the ground truth are ignored, as in the mIoU. The pseudo-labels
are the ones `hfpl infer` wrote at its best background threshold. Standard library only (any Python 3.8+).

A class whose predictions come mostly from background pixels ("pred<-GT background: 70") has a map that sits on
context (grass under a cow) rather than on the object.

--merge face,body scores every run once more as if the named classes were one (ground truth and prediction alike) and prints
its mIoU both ways: how much of a run's mIoU is lost to confusing those classes with each other. The pseudo-labels are still
the ones written at the unmerged best threshold.
"""
import argparse
import json
import os
import struct
import sys
import zlib
from collections import Counter


def read_index_png(path):
    """8-bit greyscale or palette PNG -> (width, height, bytes of indices)."""
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError(f'{path}: not a PNG')
    i, idat, header = 8, [], None
    while i < len(data):
        n, = struct.unpack('>I', data[i:i + 4])
        kind, chunk = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        i += 12 + n
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', chunk)
        elif kind == b'IDAT':
            idat.append(chunk)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (0, 3) or interlace:
        raise ValueError(f'{path}: expected an 8-bit, non-interlaced greyscale or palette PNG')
    raw = zlib.decompress(b''.join(idat))
    out, previous, p = bytearray(width * height), bytearray(width), 0
    for y in range(height):
        kind, line = raw[p], bytearray(raw[p + 1:p + 1 + width])
        p += 1 + width
        for x in range(width) if kind else ():
            a = line[x - 1] if x else 0
            b = previous[x]
            c = previous[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out[y * width:(y + 1) * width] = line
        previous = line
    return width, height, bytes(out)


def totals(counts, k, classes):
    """(true positives, ground-truth pixels, predicted pixels) of class k from the confusion counts."""
    return (counts[(k, k)], sum(counts[(k, j)] for j in range(classes)), sum(counts[(i, k)] for i in range(classes)))


def run_labels(data, run):
    """A run's metrics.json, its class names, and the bytes.translate table from the dataset's mask indices to the run's
    classes (its --background-classes read as 0, void kept 255)."""
    metrics = json.load(open(os.path.join(run, 'metrics.json')))
    names = list(metrics['report']['classIoU'])
    background = set(metrics['model'].get('backgroundClasses') or [])
    table = bytearray([255] * 256)
    for index, name in enumerate(json.load(open(os.path.join(data, 'classes.json')))['classes']):
        table[index] = 0 if name in background else names.index(name)
    return metrics, names, table


def confusion(data, run):
    """Confusion counts (ground truth, prediction) of one run over every mask it has a pseudo-label for."""
    metrics, names, table = run_labels(data, run)
    counts = Counter()
    expected = metrics['report']['classIoU']
    labels = os.path.join(run, 'pseudo_labels')
    for file in sorted(os.listdir(labels)):
        truth = read_index_png(os.path.join(data, 'masks', file))
        prediction = read_index_png(os.path.join(labels, file))
        if truth[:2] != prediction[:2]:
            raise ValueError(f'{file}: pseudo-label is {prediction[:2]}, mask is {truth[:2]}')
        counts.update(pair for pair in zip(truth[2].translate(table), prediction[2]) if pair[0] != 255)
    # Self-check: the IoU computed here must be the one hfpl infer recorded, or the two read the data differently.
    for k, name in enumerate(names):
        tp, row, column = totals(counts, k, len(names))
        union = row + column - tp
        if expected.get(name) is not None and union and abs(tp / union - expected[name]) > 1e-6:
            sys.exit(f'{run}: {name} IoU {tp / union:.6f} here, {expected[name]:.6f} in metrics.json (not the same masks or mapping?)')
    return names, counts


def mean_iou(counts, classes, merged=()):
    """Mean IoU (percent) over the classes present in ground truth or prediction, with the classes in `merged` read as the
    first of them."""
    target = {k: (merged[0] if k in merged else k) for k in range(classes)}
    pooled = Counter()
    for (truth, prediction), n in counts.items():
        pooled[(target[truth], target[prediction])] += n
    ious = []
    for k in sorted(set(target.values())):
        tp, row, column = totals(pooled, k, classes)
        if row + column - tp:
            ious.append(tp / (row + column - tp))
    return 100 * sum(ious) / len(ious)


def class_indices(names, option, value):
    """Indices of the comma-separated class names in `value`, or exit naming the option."""
    for name in filter(None, value.split(',')):
        if name not in names:
            sys.exit(f'{option}: {name} is not one of {", ".join(names)}')
    return [names.index(name) for name in filter(None, value.split(','))]


def run_arguments(doc, masks, *options):
    """Command line of the scripts that read `hfpl infer` outputs: --data, the extra options given as (flag, help, default),
    and the run folders."""
    parser = argparse.ArgumentParser(description=doc.split('\n\n')[0])
    parser.add_argument('--data', required=True, help=f'dataset folder ({masks}/, classes.json)')
    for flag, help, default in options:
        parser.add_argument(flag, default=default, help=help)
    parser.add_argument('runs', nargs='+', help='hfpl infer output folders')
    return parser.parse_args()


def main():
    args = run_arguments(__doc__, 'masks', ('--classes', 'comma-separated class names to break down', ''),
                         ('--merge', 'comma-separated class names to score once more as one class', ''))
    results = [confusion(args.data, run) for run in args.runs]
    names = results[0][0]
    print(f"{'class':12s}" + ''.join(f' | {run[-30:]:>30s}' for run in args.runs))
    for k, name in enumerate(names):
        cells = []
        for _, c in results:
            tp, row, column = totals(c, k, len(names))
            cells.append(f'IoU {100 * tp / max(1, row + column - tp):5.1f} P {100 * tp / max(1, column):5.1f} R {100 * tp / max(1, row):5.1f}')
        print(f'{name:12s}' + ''.join(f' | {cell:>30s}' for cell in cells))
    for k in class_indices(names, '--classes', args.classes):
        name = names[k]
        for run, (_, c) in zip(args.runs, results):
            _, row, column = totals(c, k, len(names))
            went = ' '.join(f'{names[j]} {100 * c[(k, j)] / row:.0f}' for j in range(len(names)) if c[(k, j)] > 0.02 * row)
            came = ' '.join(f'{names[i]} {100 * c[(i, k)] / column:.0f}' for i in range(len(names)) if c[(i, k)] > 0.02 * column)
            print(f'{name}, {run}: GT->pred {went} | pred<-GT {came}')
    merged = class_indices(names, '--merge', args.merge)
    if len(merged) == 1:
        sys.exit('--merge: name at least two classes')
    for run, (_, c) in zip(args.runs, results) if merged else ():
        print(f'mIoU {run}: {mean_iou(c, len(names)):.2f}, {args.merge} as one class {mean_iou(c, len(names), merged):.2f}')


if __name__ == '__main__':
    main()
