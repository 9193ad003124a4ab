using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Hfpl.Samples.Tests.Backbones;

/// <summary>
/// Runs ML.NET's ResNet18.onnx with ONNX Runtime (graph optimisations off, so the graph runs op by op) and
/// returns the stem, the four stage outputs and, at the graph's own input shape, its pooled output.
/// The stage outputs are found here independently of the port's loader: the first Relu is the stem's; the
/// Relus fed by an Add end the blocks, and blocks 2, 4, 6 and 9 end the stages.
/// </summary>
internal sealed class ResNet18Reference : IDisposable
{
    static readonly int[] LastBlockOfStage = [1, 3, 5, 8];

    readonly InferenceSession session;

    ResNet18Reference(byte[] model, IReadOnlyList<string> outputNames)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        session = new InferenceSession(model, options);
        InputName = session.InputMetadata.Keys.Single();
        InputShape = [.. session.InputMetadata[InputName].Dimensions.Select(d => (long)d)];
        OutputNames = outputNames;
    }

    /// <summary>The graph's input name.</summary>
    public string InputName { get; }

    /// <summary>The graph's input shape; -1 marks a free dimension.</summary>
    public long[] InputShape { get; }

    /// <summary>Stem, layer1..layer4 and, unless the shape was freed, the graph's own (pooled) output.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <param name="freeShape">Frees batch, height and width and drops the final 7x7 AveragePool (valid only at 224x224).</param>
    public static ResNet18Reference Create(string onnxPath, bool freeShape)
    {
        var model = ModelProto.Parser.ParseFromFile(onnxPath);
        var graph = model.Graph;
        var relus = graph.Node.Where(n => n.OpType == "Relu").ToList();
        var sums = graph.Node.Where(n => n.OpType == "Add").Select(n => n.Output[0]).ToHashSet();
        var blockOutputs = relus.Where(r => sums.Contains(r.Input[0])).Select(r => r.Output[0]).ToList();
        if (blockOutputs.Count != LastBlockOfStage[^1] + 1)
            throw new InvalidOperationException($"Expected 9 residual blocks, found {blockOutputs.Count}.");
        List<string> names = [relus[0].Output[0], .. LastBlockOfStage.Select(i => blockOutputs[i])];

        if (freeShape)
        {
            var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
            var dims = graph.Input.Single(i => !initializers.Contains(i.Name)).Type.TensorType.Shape.Dim;
            dims[0].DimParam = "N";
            dims[2].DimParam = "H";
            dims[3].DimParam = "W";
            graph.ValueInfo.Clear();
            graph.Output.Clear();
            foreach (var pool in graph.Node.Where(n => n.OpType == "AveragePool").ToList()) graph.Node.Remove(pool);
        }
        else
        {
            names.AddRange(graph.Output.Select(o => o.Name));
        }
        foreach (var name in names.Where(n => graph.Output.All(o => o.Name != n)))
            graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        return new ResNet18Reference(model.ToByteArray(), names);
    }

    /// <summary>Runs the graph on a float32 (B, 3, H, W) input; returns one tensor per <see cref="OutputNames"/>.</summary>
    public Tensor[] Run(Tensor input)
    {
        var data = input.contiguous().data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, input.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [InputName], [value], [.. OutputNames]);
        return [.. outputs.Select(o => tensor(o.GetTensorDataAsSpan<float>().ToArray(), o.GetTensorTypeAndShape().Shape))];
    }

    public void Dispose() => session.Dispose();
}
