using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;

namespace Hfpl.Samples.Tests.Inference;

public class OverlayFigureTests
{
    [Fact]
    public void Msrc_classes_get_msrcs_own_colours_and_other_data_the_voc_colour_map()
    {
        var msrc = LabelPalette.For(DatasetInfo.Msrc21);
        Assert.Equal(((byte)128, (byte)0, (byte)0), msrc[0]); // building
        Assert.Equal(((byte)0, (byte)128, (byte)0), msrc[1]); // grass, not VOC's red of index 1
        Assert.Equal(((byte)128, (byte)128, (byte)128), msrc[5]); // sky
        Assert.Equal(((byte)0, (byte)0, (byte)0), msrc[255]); // void, black as in MSRC's bitmaps
        var objects = new BackgroundClassMap(DatasetInfo.Msrc21, ["building", "grass", "tree", "sky", "water", "road"]).Info;
        var merged = LabelPalette.For(objects);
        Assert.Equal(((byte)96, (byte)96, (byte)96), merged[0]);
        Assert.Equal(LabelPalette.MsrcColours["cow"], merged[1]);
        Assert.Same(LabelPalette.Voc, LabelPalette.For(DatasetInfo.Voc2012));
    }

    [Fact]
    public void A_small_image_is_upscaled_and_the_legend_lists_the_classes_of_the_pseudo_label_in_their_colours()
    {
        var info = new BackgroundClassMap(DatasetInfo.Msrc21, ["building", "grass", "tree", "sky", "water", "road"]).Info;
        var palette = LabelPalette.For(info);
        var image = new RgbImage(40, 30);
        var prediction = new IndexMask(40, 30);
        for (var y = 10; y < 20; y++) for (var x = 5; x < 25; x++) prediction[y, x] = 1; // cow
        prediction[0, 0] = 255;
        var heat = new float[40 * 30];
        var (figure, legend) = OverlayFigure.Draw(image, heat, prediction, info, palette);
        Assert.Equal([0, 1], legend);
        Assert.True(figure.Height >= OverlayFigure.MinPanelHeight + 40, $"figure is {figure.Width}x{figure.Height}");
        Assert.Equal(40 * 8 * 3 + 4 * 8, figure.Width); // three panels upscaled 8x (30 rows to 240), four margins
        // The cow's swatch colour appears in the legend area, below the panels.
        var (r, g, b) = palette[1];
        var legendTop = 22 + 240 + 8;
        var found = false;
        for (var y = legendTop; y < figure.Height && !found; y++)
            for (var x = 0; x < figure.Width && !found; x++)
            {
                var o = 3 * (y * figure.Width + x);
                found = figure.Pixels[o] == r && figure.Pixels[o + 1] == g && figure.Pixels[o + 2] == b;
            }
        Assert.True(found, "the legend shows the cow's colour");
    }
}
