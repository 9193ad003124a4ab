#!/usr/bin/env python3
"""Writes an MSRC-21 folder as a PASCAL VOC 2012 folder, optionally rescaled, to try `hfpl` on VOC-layout photographs of
another size (the acceptance data's second set is COCO photographs, about 640x480, in VOC layout).

    /usr/bin/python3 scripts/msrc_as_voc.py ../shared/data/msrc21 OUT [--long-side 640]

OUT gets `JPEGImages/ID.jpg` (quality 95), `SegmentationClass/ID.png` (palette PNG of VOC class indices, 255 void) and
`ImageSets/Segmentation/train.txt`, which `hfpl train/infer --data OUT --split train` read. MSRC's stuff classes (building,
grass, tree, sky, water, road) become VOC background; the object classes that VOC has become its classes (body and face both
become person); an image that shows flower, sign or book (no VOC class) is left out, so that no image holds an object its
labels do not name. `--long-side N` rescales each image so that its long side is N pixels (bicubic; masks nearest);
without it the sizes stay. Needs Pillow (Debian's python3-pil for /usr/bin/python3). Nothing is written into the source folder;
the output is derived from MSRC-21 and falls under its licence (do not commit it).
"""
import argparse
import json
import os
import sys

from PIL import Image

VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"]
STUFF = {"building", "grass", "tree", "sky", "water", "road"}
RENAMED = {"face": "person", "body": "person"}
NO_VOC_CLASS = {"flower", "sign", "book"}


def voc_palette():
    """The VOC colour map (bit-interleaved class index), 256 RGB entries."""
    palette = []
    for index in range(256):
        r = g = b = 0
        c = index
        for bit in range(8):
            r |= ((c >> 0) & 1) << (7 - bit)
            g |= ((c >> 1) & 1) << (7 - bit)
            b |= ((c >> 2) & 1) << (7 - bit)
            c >>= 3
        palette += [r, g, b]
    return palette


def lookup(msrc_classes, ignore):
    """MSRC index -> VOC index (255 for ignore), and the set of MSRC indices whose images are left out."""
    table = [255] * 256
    excluded = set()
    for index, name in enumerate(msrc_classes):
        if name in STUFF:
            table[index] = 0
        elif name in NO_VOC_CLASS:
            excluded.add(index)
        else:
            table[index] = VOC_CLASSES.index(RENAMED.get(name, name))
    table[ignore] = 255
    return table, excluded


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="MSRC-layout folder (images/, masks/, classes.json)")
    parser.add_argument("out", help="output VOC2012-layout folder (created)")
    parser.add_argument("--long-side", type=int, default=0, help="rescale so the long side is N pixels (0: keep sizes)")
    args = parser.parse_args(argv)
    with open(os.path.join(args.source, "classes.json")) as f:
        meta = json.load(f)
    table, excluded = lookup(meta["classes"], meta.get("ignore_index", 255))
    for sub in ("JPEGImages", "SegmentationClass", os.path.join("ImageSets", "Segmentation")):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    palette = voc_palette()
    kept, left_out = [], 0
    for name in sorted(os.listdir(os.path.join(args.source, "masks"))):
        ident = os.path.splitext(name)[0]
        mask = Image.open(os.path.join(args.source, "masks", name))
        if any(mask.histogram()[i] for i in excluded):
            left_out += 1
            continue
        image = Image.open(os.path.join(args.source, "images", ident + ".png")).convert("RGB")
        voc = mask.point(table)
        if args.long_side > 0:
            w, h = image.size
            scale = args.long_side / max(w, h)
            size = (max(1, round(w * scale)), max(1, round(h * scale)))
            image = image.resize(size, Image.BICUBIC)
            voc = voc.resize(size, Image.NEAREST)
        voc = voc.convert("P")
        voc.putpalette(palette)
        image.save(os.path.join(args.out, "JPEGImages", ident + ".jpg"), quality=95)
        voc.save(os.path.join(args.out, "SegmentationClass", ident + ".png"))
        kept.append(ident)
    with open(os.path.join(args.out, "ImageSets", "Segmentation", "train.txt"), "w") as f:
        f.write("\n".join(kept) + "\n")
    print(f"{len(kept)} images written to {args.out}, {left_out} left out (flower, sign or book)")


if __name__ == "__main__":
    main(sys.argv[1:])
