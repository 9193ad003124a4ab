using Hfpl.Samples.Data;
using SkiaSharp;

namespace Hfpl.Samples.Inference;

/// <summary>
/// The overlay a person reads: three titled panels (the image, the CAM heat map of the strongest present class, the
/// pseudo-label over the image), a colour bar for the heat map and a legend of the classes shown, in the dataset's palette.
/// Small images are upscaled (nearest neighbour) so that each panel is at least <see cref="MinPanelHeight"/> pixels high.
/// </summary>
public static class OverlayFigure
{
    /// <summary>Panels of smaller images are upscaled by a whole factor to at least this height.</summary>
    public const int MinPanelHeight = 240;

    const int Margin = 8, TitleHeight = 22, BarHeight = 14, LegendRow = 20, Swatch = 14;

    /// <summary>The titles of the three panels, left to right.</summary>
    public static readonly string[] Titles = ["image", "CAM (strongest present class)", "pseudo-label"];

    /// <summary>Draws the figure.</summary>
    /// <param name="image">The photograph.</param>
    /// <param name="heat">Normalised CAM scores in [0, 1], row-major H x W.</param>
    /// <param name="prediction">The pseudo-label, H x W class indices.</param>
    /// <param name="info">The classes, for the legend's names.</param>
    /// <param name="palette">The dataset's colours (<see cref="LabelPalette.For"/>).</param>
    /// <returns>The figure, and the classes its legend lists (those in the pseudo-label, void excluded).</returns>
    public static (RgbImage Figure, IReadOnlyList<int> LegendClasses) Draw(RgbImage image, ReadOnlySpan<float> heat, IndexMask prediction,
        DatasetInfo info, LabelPalette palette)
    {
        var scale = Math.Max(1, (int)Math.Ceiling((double)MinPanelHeight / image.Height));
        var (pw, ph) = (image.Width * scale, image.Height * scale);
        var legend = prediction.Values.Where(v => v != info.IgnoreIndex).Distinct().Order().Select(v => (int)v).ToArray();
        var columns = Math.Max(1, (3 * pw + 2 * Margin) / 170);
        var legendRows = (legend.Length + columns - 1) / columns;
        var width = 3 * pw + 4 * Margin;
        var height = TitleHeight + ph + Margin + BarHeight + 16 + Margin + legendRows * LegendRow + Margin;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var nearest = new SKPaint();

        RgbImage[] panels = [image, CamHeatmap.Overlay(image, heat), palette.Overlay(image, prediction, 0.6)];
        for (var i = 0; i < panels.Length; i++)
        {
            var x = Margin + i * (pw + Margin);
            canvas.DrawText(Titles[i], x, TitleHeight - 7, SKTextAlign.Left, font, text);
            using var bitmap = ToBitmap(panels[i]);
            canvas.DrawBitmap(bitmap, SKRect.Create(x, TitleHeight, pw, ph), nearest);
        }

        // Colour bar under the heat-map panel: the ramp from 0 to 1.
        var barX = Margin + pw + Margin;
        var barY = TitleHeight + ph + Margin;
        for (var x = 0; x < pw; x++)
        {
            var (r, g, b) = CamHeatmap.Ramp((double)x / Math.Max(1, pw - 1));
            using var paint = new SKPaint { Color = new SKColor((byte)r, (byte)g, (byte)b) };
            canvas.DrawRect(barX + x, barY, 1, BarHeight, paint);
        }
        canvas.DrawText("0", barX, barY + BarHeight + 13, SKTextAlign.Left, font, text);
        canvas.DrawText("1", barX + pw, barY + BarHeight + 13, SKTextAlign.Right, font, text);

        // Legend: a swatch and the class name for every class in the pseudo-label.
        var legendY = barY + BarHeight + 16 + Margin;
        for (var i = 0; i < legend.Length; i++)
        {
            var (row, column) = (i / columns, i % columns);
            var x = Margin + column * 170;
            var y = legendY + row * LegendRow;
            var (r, g, b) = palette[legend[i]];
            using var swatch = new SKPaint { Color = new SKColor(r, g, b) };
            canvas.DrawRect(x, y, Swatch, Swatch, swatch);
            canvas.DrawText(info.ClassNames[legend[i]], x + Swatch + 5, y + Swatch - 2, SKTextAlign.Left, font, text);
        }

        using var snapshot = surface.Snapshot();
        using var pixmap = snapshot.PeekPixels();
        var rgba = pixmap.GetPixelSpan();
        var figure = new RgbImage(width, height);
        for (var p = 0; p < width * height; p++)
            (figure.Pixels[3 * p], figure.Pixels[3 * p + 1], figure.Pixels[3 * p + 2]) = (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]);
        return (figure, legend);
    }

    static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[image.Width * image.Height * 4];
        for (var p = 0; p < image.Width * image.Height; p++)
        {
            (pixels[4 * p], pixels[4 * p + 1], pixels[4 * p + 2], pixels[4 * p + 3]) = (image.Pixels[3 * p], image.Pixels[3 * p + 1], image.Pixels[3 * p + 2], 255);
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }
}
