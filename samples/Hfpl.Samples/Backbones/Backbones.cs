namespace Hfpl.Samples.Backbones;

/// <summary>
/// The backbones this build knows, by name, with the output strides each supports. Adding a backbone is its file plus one
/// line here.
/// </summary>
public static class Backbones
{
    /// <summary>A registered backbone: its name, the output strides it supports, and how to build it at one of them.</summary>
    public sealed record Entry(string Name, IReadOnlyList<int> OutputStrides, Func<int, Backbone> Create, string Description);

    static readonly Entry[] Registered =
    [
        new("small", [4, 8], stride => new SmallCnn(outputStride: stride), "a small CNN without pretrained weights (the synthetic demo)"),
        new("resnet18", [8, 16, 32], stride => new ResNet18Backbone(stride), "the ImageNet-pretrained ResNet-18 of Microsoft.ML.DnnImageFeaturizer.ResNet18"),
    ];

    /// <summary>The names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Registered.Select(r => r.Name).ToArray();

    /// <summary>The entry of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static Entry Get(string name) =>
        Registered.FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"Unknown backbone '{name}' (known: {string.Join(", ", Names)}).", nameof(name));

    /// <summary>Builds <paramref name="name"/> at <paramref name="outputStride"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name, or a stride the backbone does not have.</exception>
    public static Backbone Create(string name, int outputStride)
    {
        var entry = Get(name);
        if (!entry.OutputStrides.Contains(outputStride))
            throw new ArgumentException($"the {name} backbone has output stride {string.Join(", ", entry.OutputStrides)}, got {outputStride}.", nameof(outputStride));
        return entry.Create(outputStride);
    }
}
