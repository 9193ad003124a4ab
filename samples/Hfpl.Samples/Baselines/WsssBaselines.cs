using Hfpl.Samples.Backbones;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// The baselines this build knows, by the name the command line and checkpoints use. Adding a baseline is its file (model
/// and loss terms, a <see cref="WsssBaseline"/> subclass) plus one line here; the CLI's choices, help and checkpoints follow.
/// </summary>
public static class WsssBaselines
{
    /// <summary>Builds a baseline from its backbone, K foreground classes, the add-on (null for the plain baseline) and the baselines'
    /// own hyper-parameters (a baseline reads those that concern it).</summary>
    public delegate WsssBaseline Factory(Backbone backbone, int classes, HfplAddOn? addOn, BaselineOptions options);

    static readonly (string Name, Factory Create)[] Registered =
    [
        ("cam", (backbone, classes, addOn, _) => new CamBaseline(backbone, classes, addOn)),
        ("seam", (backbone, classes, addOn, options) => new SeamBaseline(backbone, classes, addOn, options.SeamViewScale)),
    ];

    /// <summary>The names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Registered.Select(r => r.Name).ToArray();

    /// <summary>The factory of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static Factory Get(string name) =>
        Registered.FirstOrDefault(r => r.Name == name).Create
        ?? throw new ArgumentException($"Unknown baseline '{name}' (known: {string.Join(", ", Names)}).", nameof(name));
}
