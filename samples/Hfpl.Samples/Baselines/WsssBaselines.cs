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

    /// <summary>One registration: the name, the factory, whether the baseline reads any <see cref="BaselineOptions"/> (a
    /// baseline that does not gets none recorded in its checkpoint, and the CLI refuses them for it), and its defaults on photographs.</summary>
    readonly record struct Registration(string Name, Factory Create, bool ReadsOptions, PhotographDefaults Photographs);

    static readonly Registration[] Registered =
    [
        new("cam", (backbone, classes, addOn, _) => new CamBaseline(backbone, classes, addOn), ReadsOptions: false, new(Steps: 600, FslWeight: 2, MaxGradientNorm: 10)),
        new("seam", (backbone, classes, addOn, options) => new SeamBaseline(backbone, classes, addOn, options.SeamViewScale), ReadsOptions: true, new(Steps: 1200, FslWeight: 1)),
    ];

    /// <summary>The names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Registered.Select(r => r.Name).ToArray();

    /// <summary>The names of the baselines that read <see cref="BaselineOptions"/>, in registration order.</summary>
    public static IReadOnlyList<string> NamesReadingOptions { get; } = Registered.Where(r => r.ReadsOptions).Select(r => r.Name).ToArray();

    /// <summary>The factory of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static Factory Get(string name) => Find(name).Create;

    /// <summary>Whether <paramref name="name"/> reads any <see cref="BaselineOptions"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static bool ReadsOptions(string name) => Find(name).ReadsOptions;

    /// <summary>What <paramref name="name"/> trains with on photographs when no option says otherwise.</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static PhotographDefaults Photographs(string name) => Find(name).Photographs;

    static Registration Find(string name) =>
        Registered.FirstOrDefault(r => r.Name == name) is { Create: not null } found ? found
        : throw new ArgumentException($"Unknown baseline '{name}' (known: {string.Join(", ", Names)}).", nameof(name));
}
