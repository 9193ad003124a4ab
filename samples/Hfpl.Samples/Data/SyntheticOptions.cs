namespace Hfpl.Samples.Data;

/// <summary>Settings of <see cref="SyntheticDataset"/>. The defaults give the demo data.</summary>
public sealed record SyntheticOptions
{
    /// <summary>Seed: the same seed gives the same images, pixel for pixel.</summary>
    public int Seed { get; init; }

    /// <summary>Number of images.</summary>
    public int Count { get; init; } = 400;

    /// <summary>Image width in pixels (at least 32).</summary>
    public int Width { get; init; } = 96;

    /// <summary>Image height in pixels (at least 32).</summary>
    public int Height { get; init; } = 96;

    /// <summary>Number of object classes, 1..<see cref="SyntheticDataset.MaxObjectClasses"/>; class 0 is background on top.</summary>
    public int ObjectClasses { get; init; } = 5;

    /// <summary>Fewest objects per image (each of a different class).</summary>
    public int MinObjects { get; init; } = 2;

    /// <summary>Most objects per image; capped by <see cref="ObjectClasses"/>.</summary>
    public int MaxObjects { get; init; } = 3;

    /// <summary>
    /// False (default): class c's body look (shape, colour, texture) is look c or look c + 1 at random, so each look
    /// is shared by two classes and only the eye settles the class: plain GAP CAMs lean on the eye. True: every
    /// class has its own body look.
    /// </summary>
    public bool ClassSpecificBodies { get; init; }

    /// <summary>Width in pixels of a void (255) band along class boundaries, as in VOC; 0 (default) for exact masks.</summary>
    public int VoidBorder { get; init; }

    internal void Validate()
    {
        if (Count < 0) throw new ArgumentOutOfRangeException(nameof(Count), Count, "Count must not be negative.");
        if (Width < 32) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be at least 32.");
        if (Height < 32) throw new ArgumentOutOfRangeException(nameof(Height), Height, "Height must be at least 32.");
        if (Width > 4096 || Height > 4096) throw new ArgumentOutOfRangeException(nameof(Width), "Width and Height must be at most 4096.");
        if (ObjectClasses is < 1 or > SyntheticDataset.MaxObjectClasses)
            throw new ArgumentOutOfRangeException(nameof(ObjectClasses), ObjectClasses, $"ObjectClasses must be in 1..{SyntheticDataset.MaxObjectClasses}.");
        if (MinObjects < 1) throw new ArgumentOutOfRangeException(nameof(MinObjects), MinObjects, "MinObjects must be at least 1.");
        if (MaxObjects < MinObjects) throw new ArgumentOutOfRangeException(nameof(MaxObjects), MaxObjects, "MaxObjects must be at least MinObjects.");
        if (VoidBorder is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(VoidBorder), VoidBorder, "VoidBorder must be in 0..8.");
    }
}
