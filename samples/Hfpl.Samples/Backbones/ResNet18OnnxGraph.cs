using Onnx;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// Reads the CNTK ResNet-18 ONNX graph (ML.NET's ResNet18.onnx) by following its data flow from the input:
/// stem Conv-BN-Relu-MaxPool, then per block Conv-BN-Relu-Conv-BN, Add (with the block input or a 1x1
/// Conv-BN shortcut of it), Relu. Each Conv is paired with the BatchNormalization it feeds; names are never
/// used to match weights. Any other op on that path, or any other attribute, is an error, so the port
/// cannot silently skip something the graph does.
/// </summary>
/// <remarks>
/// CNTK exported its centred "same" padding frozen for a 224x224 input, as pads (begin k/2, end k/2 - 1) on
/// the stride-2 layers. Symmetric padding k/2 gives identical values for every even input size, and matches
/// CNTK's own padding (window centred on 2i, ceil(n/2) outputs) for odd sizes too, so the port uses it.
/// After the last stage the graph ends with a 7x7 AveragePool (global at 224x224), which the port leaves out.
/// </remarks>
internal sealed class ResNet18OnnxGraph
{
    /// <summary>A convolution's weight and the parameters of the batch norm fed by it (ONNX order: scale, B, mean, var).</summary>
    internal sealed record ConvNorm(string ConvName, TensorProto Weight, TensorProto Scale, TensorProto Shift, TensorProto Mean, TensorProto Variance, float Epsilon);

    /// <summary>One basic block's convolutions; <see cref="Shortcut"/> is null for an identity shortcut.</summary>
    internal sealed record Block(ConvNorm Conv1, ConvNorm Conv2, ConvNorm? Shortcut);

    static readonly HashSet<string> KnownOps = ["Conv", "BatchNormalization", "Relu", "MaxPool", "Add", "AveragePool"];

    readonly string source;
    readonly Dictionary<string, TensorProto> initializers;
    readonly ILookup<string, NodeProto> consumers;

    ResNet18OnnxGraph(GraphProto graph, string source)
    {
        this.source = source;
        initializers = graph.Initializer.ToDictionary(t => t.Name);
        consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);

        var unknown = graph.Node.Select(n => n.OpType).Where(op => !KnownOps.Contains(op)).Distinct().ToList();
        if (unknown.Count > 0) throw Malformed($"it has ops the port does not implement: {string.Join(", ", unknown)}");
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1) throw Malformed($"it has {inputs.Count} non-weight inputs instead of 1");
        InputName = inputs[0].Name;

        Stem = ReadConvNorm(InputName, kernel: 7, stride: 2, out var x);
        StemOutput = Single(x, "Relu").Output[0];
        var pool = Single(StemOutput, "MaxPool");
        if (!Ints(pool, "kernel_shape", []).SequenceEqual([3L, 3]) || !Ints(pool, "strides", [1, 1]).SequenceEqual([2L, 2]))
            throw Malformed($"MaxPool '{pool.Name}' is not 3x3 with stride 2");
        CheckCentredPads(pool, 3);
        x = pool.Output[0];

        var stages = new List<IReadOnlyList<Block>>();
        var stageOutputs = new List<string>();
        for (var s = 0; s < ResNet18.BlocksPerStage.Length; s++)
        {
            var blocks = new List<Block>();
            for (var b = 0; b < ResNet18.BlocksPerStage[s]; b++)
            {
                var stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(ReadBlock(x, stride, out x));
            }
            stages.Add(blocks);
            stageOutputs.Add(x);
        }
        Stages = stages;
        StageOutputs = stageOutputs;

        var convCount = graph.Node.Count(n => n.OpType == "Conv");
        var read = 1 + stages.SelectMany(s => s).Sum(b => b.Shortcut is null ? 2 : 3);
        if (convCount != read) throw Malformed($"it has {convCount} Conv nodes, of which the ResNet-18 walk used {read}");
    }

    /// <summary>Parses the file at <paramref name="path"/> and walks its graph.</summary>
    /// <exception cref="InvalidDataException">The graph is not the expected ResNet-18.</exception>
    public static ResNet18OnnxGraph Read(string path) => new(ModelProto.Parser.ParseFromFile(path).Graph, path);

    /// <summary>Name of the graph's image input.</summary>
    public string InputName { get; }

    /// <summary>Name of the stem's Relu output (before the max pool).</summary>
    public string StemOutput { get; }

    /// <summary>Names of the four stages' outputs (the last Relu of each).</summary>
    public IReadOnlyList<string> StageOutputs { get; }

    /// <summary>The 7x7 stem convolution and its batch norm.</summary>
    public ConvNorm Stem { get; }

    /// <summary>The blocks of the four stages, in data-flow order.</summary>
    public IReadOnlyList<IReadOnlyList<Block>> Stages { get; }

    /// <summary>Reads the graph's values of an initializer as float32, whether stored as float_data or raw_data.</summary>
    public static float[] Values(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"ONNX tensor '{t.Name}' has data type {t.DataType}, expected float32.");
        return t.FloatData.Count > 0
            ? [.. t.FloatData]
            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
    }

    Block ReadBlock(string input, int stride, out string output)
    {
        var conv1 = ReadConvNorm(input, kernel: 3, stride, out var y);
        var conv2 = ReadConvNorm(Single(y, "Relu").Output[0], kernel: 3, stride: 1, out y);
        var add = Single(y, "Add");
        var other = add.Input.Single(i => i != y);
        ConvNorm? shortcut = null;
        if (other != input)
        {
            shortcut = ReadConvNorm(input, kernel: 1, stride, out var s);
            if (s != other) throw Malformed($"Add '{add.Name}' does not sum the main path with the block input or its 1x1 shortcut");
        }
        output = Single(add.Output[0], "Relu").Output[0];
        return new Block(conv1, conv2, shortcut);
    }

    ConvNorm ReadConvNorm(string input, int kernel, int stride, out string output)
    {
        var conv = Single(input, "Conv", n => Ints(n, "kernel_shape", []).SequenceEqual([kernel, (long)kernel]), $"{kernel}x{kernel} Conv");
        if (!Ints(conv, "strides", [1, 1]).SequenceEqual([stride, (long)stride]))
            throw Malformed($"Conv '{conv.Name}' has strides [{string.Join(", ", Ints(conv, "strides", [1, 1]))}], expected {stride}");
        if (Ints(conv, "group", [1])[0] != 1 || Ints(conv, "dilations", [1, 1]).Any(d => d != 1))
            throw Malformed($"Conv '{conv.Name}' is grouped or dilated");
        if (conv.Input.Count > 2 && conv.Input[2] != "") throw Malformed($"Conv '{conv.Name}' has a bias");
        CheckCentredPads(conv, kernel);

        var norm = Single(conv.Output[0], "BatchNormalization");
        var epsilon = norm.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
        output = norm.Output[0];
        return new ConvNorm(conv.Name, Weight(conv.Input[1]), Weight(norm.Input[1]), Weight(norm.Input[2]),
            Weight(norm.Input[3]), Weight(norm.Input[4]), epsilon);
    }

    // Begin pads must centre the window (k/2); end pads may be anything up to k/2 (see the class remarks).
    void CheckCentredPads(NodeProto node, int kernel)
    {
        var pads = Ints(node, "pads", [0, 0, 0, 0]);
        if (node.Attribute.Any(a => a.Name == "auto_pad" && a.S.ToStringUtf8() is not ("" or "NOTSET")))
            throw Malformed($"{node.OpType} '{node.Name}' uses auto_pad");
        if (pads.Length != 4 || pads[0] != kernel / 2 || pads[1] != kernel / 2 || pads[2] > kernel / 2 || pads[3] > kernel / 2)
            throw Malformed($"{node.OpType} '{node.Name}' has pads [{string.Join(", ", pads)}], not centred for kernel {kernel}");
    }

    NodeProto Single(string tensor, string opType, Func<NodeProto, bool>? where = null, string? what = null)
    {
        var found = consumers[tensor].Where(n => n.OpType == opType && (where is null || where(n))).ToList();
        if (found.Count != 1)
            throw Malformed($"'{tensor}' feeds {found.Count} {what ?? opType} nodes, expected 1");
        return found[0];
    }

    TensorProto Weight(string name) =>
        initializers.TryGetValue(name, out var t) ? t : throw Malformed($"'{name}' is not a stored weight");

    static long[] Ints(NodeProto node, string name, long[] fallback)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null) return fallback;
        return attribute.Ints.Count > 0 ? [.. attribute.Ints] : [attribute.I];
    }

    InvalidDataException Malformed(string what) =>
        new($"{source} is not the CNTK ResNet-18 graph this port expects: {what}.");
}
