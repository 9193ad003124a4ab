using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// Loads the ImageNet weights of ML.NET's CNTK ResNet-18 (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18
/// 0.23.1, file tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx) into a <see cref="ResNet18"/>. The file is
/// parsed with OnnxSharp and read straight into the module; nothing is cached on disk.
/// </summary>
public static class ResNet18Weights
{
    /// <summary>Environment variable that, when set, names the ResNet18.onnx file to use.</summary>
    public const string PathVariable = "HFPL_RESNET18_ONNX";

    const string PackageRelativePath = "microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>
    /// Finds ResNet18.onnx: the file named by <see cref="PathVariable"/> if set, else where restore put the
    /// package when this assembly was built, else the NuGet package folder ($NUGET_PACKAGES or ~/.nuget/packages).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file found; the message says where it looked.</exception>
    public static string DefaultOnnxPath()
    {
        var built = typeof(ResNet18Weights).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ResNet18OnnxPath")?.Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return ResolveOnnxPath(Environment.GetEnvironmentVariable(PathVariable), built, Path.Combine(packages, PackageRelativePath));
    }

    /// <summary>The path resolution of <see cref="DefaultOnnxPath"/>, separated from the environment for tests.</summary>
    internal static string ResolveOnnxPath(string? overridePath, string? builtPath, string packagePath)
    {
        if (!string.IsNullOrEmpty(overridePath))
        {
            return File.Exists(overridePath)
                ? overridePath
                : throw new FileNotFoundException($"{PathVariable} is set to '{overridePath}', which does not exist.", overridePath);
        }
        string[] candidates = string.IsNullOrEmpty(builtPath) ? [packagePath] : [builtPath, packagePath];
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            "The ResNet-18 weights (ResNet18.onnx from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1) " +
            $"were not found at {string.Join(" or ", candidates.Distinct())}. Run `dotnet restore` on the Hfpl solution, " +
            $"or set {PathVariable} to the file.", candidates[^1]);
    }

    /// <summary>
    /// Copies the weights and batch-norm statistics of ResNet18.onnx into <paramref name="module"/>, matching
    /// layers by the graph's data flow (see <see cref="ResNet18OnnxGraph"/>), with every shape checked.
    /// Works for any output stride, since dilation does not change the weights.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing (run <c>dotnet restore</c>).</exception>
    /// <exception cref="InvalidDataException">The file is not the expected ResNet-18 graph.</exception>
    public static void Load(ResNet18 module, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"The ResNet-18 weights file '{onnxPath}' does not exist. Run `dotnet restore` on the Hfpl solution to fetch it.", onnxPath);

        var graph = ResNet18OnnxGraph.Read(onnxPath);
        var stages = module.Stages;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Copy(graph.Stem, module.StemLayer);
        for (var s = 0; s < graph.Stages.Count; s++)
        {
            for (var b = 0; b < graph.Stages[s].Count; b++)
            {
                var source = graph.Stages[s][b];
                var target = stages[s][b];
                Copy(source.Conv1, target.MainPath[0]);
                Copy(source.Conv2, target.MainPath[1]);
                if ((source.Shortcut is null) != (target.Shortcut is null))
                    throw new InvalidDataException($"Block {b} of stage {s + 1}: the graph and the module disagree on the shortcut.");
                if (source.Shortcut is not null) Copy(source.Shortcut, target.Shortcut!.Value);
            }
        }
    }

    static void Copy(ResNet18OnnxGraph.ConvNorm source, (Conv2d Conv, BatchNorm2d Norm) target)
    {
        if (Math.Abs(source.Epsilon - target.Norm.eps) > 1e-9)
            throw new InvalidDataException($"The batch norm after '{source.ConvName}' has epsilon {source.Epsilon}, the module {target.Norm.eps}.");
        Copy(source.Weight, target.Conv.weight!);
        Copy(source.Scale, target.Norm.weight!);
        Copy(source.Shift, target.Norm.bias!);
        Copy(source.Mean, target.Norm.running_mean!);
        Copy(source.Variance, target.Norm.running_var!);
    }

    static void Copy(Onnx.TensorProto source, Tensor target)
    {
        if (!target.shape.SequenceEqual(source.Dims))
            throw new InvalidDataException($"ONNX tensor '{source.Name}' has shape [{string.Join(", ", source.Dims)}], the module expects [{string.Join(", ", target.shape)}].");
        target.copy_(tensor(ResNet18OnnxGraph.Values(source), [.. source.Dims]));
    }
}
