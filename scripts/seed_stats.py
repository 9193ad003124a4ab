#!/usr/bin/env python3
"""Mean ± std over seeds of a baseline and its "++" variant, and the per-seed differences, from `hfpl infer` metrics.json files.

    python3 scripts/seed_stats.py 'runs/cam-s{}/out' 'runs/campp-s{}/out' 0,1,2 [--at 0.15 | --at baseline | --at best]

Each pattern names a folder holding metrics.json, with {} standing for the seed. Printed per metric: the baseline's and the
variant's mean ± sample std, the mean ± sample std of the per-seed difference (variant − baseline), the paired t statistic
(mean difference over its standard error, std / sqrt(seeds)), each seed's difference, and how many seeds the variant won.
Issue 10's test is "mean difference above its std", i.e. t above sqrt(seeds); t above about 2 says the mean difference is
about two standard errors from zero, a weaker claim that more seeds can settle. Metrics: mIoU at the best background threshold, contour F against masks/ (present classes) and
against masks_hq/ (all classes / present classes; "not scored" for data without masks_hq/), in percent. Each run is scored at its own best background threshold; with
--at T, every run at the common threshold T instead: the mIoU from the run's sweep (`curve`), the contour F from its
`contourCurve` (`hfpl infer --contour-thresholds ...,T,...`) or, when T is the run's own threshold, its contour F. With
--at baseline, the baseline at its own threshold and, seed by seed, the variant at the baseline's threshold: the "same thr."
row of `hfpl demo`. With --at best, each contour F at the run's own best threshold for that measure (the boundary-detection
field's ODS, "optimal dataset scale": the best over the run's `contourCurve` and its own threshold), mIoU at its best
threshold as always; it needs runs inferred with `hfpl infer --contour-sweep`. Standard library only (any Python 3.8+).
"""
import json
import math
import statistics
import sys

METRICS = [
    ('mIoU', lambda r: r['meanIoU']),
    ('contour F masks (present)', lambda r: r['contourF']['presentClasses']),
    ('contour F masks_hq (all)', lambda r: (r.get('preciseContourF') or {}).get('allClasses')),
    ('contour F masks_hq (present)', lambda r: (r.get('preciseContourF') or {}).get('presentClasses')),
]


def at_threshold(report, threshold, folder):
    """The report's fields as they are at background threshold `threshold`, or exit naming the file that lacks it."""
    miou = [p['meanIoU'] for p in report['curve'] if abs(p['threshold'] - threshold) < 1e-9]
    contour = [p for p in report.get('contourCurve', []) if abs(p['threshold'] - threshold) < 1e-9]
    if report.get('threshold') is not None and abs(report['threshold'] - threshold) < 1e-9:
        contour.append(report)
    if not miou or not contour:
        sys.exit(f'{folder}/metrics.json: no {"contourCurve" if miou else "curve"} point at threshold {threshold} '
                 f'(infer with --contour-thresholds {threshold})')
    return {'meanIoU': miou[0], 'contourF': contour[0]['contourF'], 'preciseContourF': contour[0]['preciseContourF']}


def at_best(report, folder):
    """Each contour measure at the threshold that maximises it (the best over `contourCurve` and the run's own threshold; a tie
    goes to the lower threshold), mIoU at its own best; with the thresholds chosen, one per contour measure. As `hfpl infer`'s
    bestContourF: only for a run scored at every threshold of its mIoU sweep."""
    points = sorted(report.get('contourCurve', []) + [report], key=lambda p: p['threshold'])
    if any(all(abs(p['threshold'] - c['threshold']) > 1e-9 for p in points) for c in report['curve']):
        sys.exit(f'{folder}/metrics.json: contour F was not scored at every threshold of the sweep (infer with --contour-sweep)')
    values, chosen = [METRICS[0][1](report)], []
    for _, read in METRICS[1:]:
        scored = [(read(p), p['threshold']) for p in points if read(p) is not None]
        value, threshold = max(scored, key=lambda s: s[0]) if scored else (None, None)
        values.append(value)
        chosen.append(threshold)
    return values, chosen


def report_of(folder):
    try:
        with open(f'{folder}/metrics.json') as file:
            return json.load(file)['report']
    except (OSError, ValueError, KeyError) as error:
        sys.exit(f'{folder}/metrics.json: cannot read a report ({error.__class__.__name__}: {error})')


def scores(folder, threshold=None):
    report = report_of(folder)
    if threshold == 'best':
        values, chosen = at_best(report, folder)
        print(f'  {folder}: ' + ', '.join('-' if t is None else f'{t:.2f}' for t in chosen))
        return [None if v is None else 100 * v for v in values]
    if threshold is not None:
        report = at_threshold(report, threshold, folder)
    values = [read(report) for _, read in METRICS]
    return [None if v is None else 100 * v for v in values]


def spread(values):
    return statistics.stdev(values) if len(values) > 1 else float('nan')


def paired_t(differences):
    sd = spread(differences)
    return statistics.mean(differences) / (sd / math.sqrt(len(differences))) if sd > 0 else float('nan')


def main():
    if len(sys.argv) not in (4, 6) or (len(sys.argv) == 6 and sys.argv[4] != '--at'):
        sys.exit(__doc__.strip().split('\n\n')[1].strip())
    base, plus = sys.argv[1], sys.argv[2]
    try:
        seeds = [int(s) for s in sys.argv[3].split(',')]
    except ValueError:
        sys.exit(f'seeds: expected comma-separated integers, got {sys.argv[3]}')
    threshold = None
    at_baseline = len(sys.argv) == 6 and sys.argv[5] == 'baseline'
    if len(sys.argv) == 6 and sys.argv[5] == 'best':
        threshold = 'best'
        print('each contour F at its own best threshold (masks/ present, masks_hq all, masks_hq present):')
    elif len(sys.argv) == 6 and not at_baseline:
        try:
            threshold = float(sys.argv[5])
        except ValueError:
            sys.exit(f'--at: expected a background threshold, "baseline" or "best", got {sys.argv[5]}')
    baseline = [scores(base.format(s), threshold) for s in seeds]
    if at_baseline:
        cuts = [report_of(base.format(s))['threshold'] for s in seeds]
        variant = [scores(plus.format(s), t) for s, t in zip(seeds, cuts)]
        print(f'seeds {",".join(map(str, seeds))}, the variant at the baseline\'s threshold ({", ".join(f"{t:.2f}" for t in cuts)})')
    else:
        variant = [scores(plus.format(s), threshold) for s in seeds]
        print(f'seeds {",".join(map(str, seeds))}' + ('' if threshold in (None, 'best') else f', every run at threshold {threshold}'))
    for i, (name, _) in enumerate(METRICS):
        b = [row[i] for row in baseline]
        p = [row[i] for row in variant]
        if None in b or None in p:
            print(f'{name:29s} not scored (a run has no masks_hq/, e.g. a VOC folder)')
            continue
        d = [y - x for x, y in zip(b, p)]
        won = sum(x > 0 for x in d)
        print(f'{name:29s} base {statistics.mean(b):6.2f} ± {spread(b):5.2f}  plus {statistics.mean(p):6.2f} ± {spread(p):5.2f}  '
              f'diff {statistics.mean(d):+6.2f} ± {spread(d):5.2f}  t {paired_t(d):5.2f}  won {won}/{len(d)}  ({", ".join(f"{x:+.2f}" for x in d)})')


if __name__ == '__main__':
    main()
