using SkiaSharp;

namespace Hfpl.Samples.Data;

/// <summary>
/// Decodes PNG, JPEG, BMP (and the other formats Skia knows) to 8-bit RGB with SkiaSharp, and writes JPEG.
/// </summary>
/// <remarks>
/// Pixels come out in stored order (EXIF orientation is not applied, as in PIL's <c>Image.open</c>, so
/// masks made for the stored pixels still line up), without colour management, alpha dropped
/// (unpremultiplied). An incompletely decoded image is an error, not a partly black picture.
/// </remarks>
public static class ImageFile
{
    /// <summary>Reads an image file as RGB.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable image or is truncated/corrupt; the message names the file.</exception>
    public static RgbImage ReadRgb(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Image file not found: {path}", path);
        return DecodeRgb(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes image bytes as RGB; <paramref name="name"/> is used in error messages.</summary>
    public static RgbImage DecodeRgb(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"{name}: not a decodable image (PNG, JPEG, BMP, ...) or the file is corrupt.");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0) throw new InvalidDataException($"{name}: image has an invalid size {w}x{h}.");
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"{name}: image could not be fully decoded ({result}); the file is truncated or corrupt.");
        var rgba = bitmap.GetPixelSpan();

        var rgb = new byte[3 * w * h];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }
        return new RgbImage(w, h, rgb);
    }

    /// <summary>Writes <paramref name="image"/> as a baseline JPEG of the given quality (1-100).</summary>
    public static void WriteJpeg(string path, RgbImage image, int quality = 95)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = EncodeJpeg(image, quality);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>JPEG bytes of <paramref name="image"/>.</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 95)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "quality must be 1..100.");
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[info.BytesSize];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = image.Pixels[i];
            rgba[j + 1] = image.Pixels[i + 1];
            rgba[j + 2] = image.Pixels[i + 2];
            rgba[j + 3] = 255;
        }
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality)
            ?? throw new InvalidOperationException("SkiaSharp failed to encode the JPEG.");
        return encoded.ToArray();
    }
}
