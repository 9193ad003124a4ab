using Hfpl.Samples.Backbones;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// The baselines this build knows, by the name the command line and checkpoints use. Adding a baseline is its file (model
/// and loss terms, a <see cref="WsssBaseline"/> subclass) plus one line here; the CLI's choices, help and checkpoints follow.
/// </summary>
public static class WsssBaselines
{
    /// <summary>Builds a baseline from its backbone, K foreground classes and the add-on (null for the plain baseline).</summary>
    public delegate WsssBaseline Factory(Backbone backbone, int classes, HfplAddOn? addOn);

    static readonly (string Name, Factory Create)[] Registered =
    [
        ("cam", (backbone, classes, addOn) => new CamBaseline(backbone, classes, addOn)),
        ("seam", (backbone, classes, addOn) => new SeamBaseline(backbone, classes, addOn)),
    ];

    /// <summary>The names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Registered.Select(r => r.Name).ToArray();

    /// <summary>The factory of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static Factory Get(string name) =>
        Registered.FirstOrDefault(r => r.Name == name).Create
        ?? throw new ArgumentException($"Unknown baseline '{name}' (known: {string.Join(", ", Names)}).", nameof(name));
}
