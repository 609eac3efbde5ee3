using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>docs/sanet.md's networks built node by node (what the front end expands sanet-r50.yaml etc. into).</summary>
public static class MiddleNetworks
{
    public sealed record Config(string Name, int[] Blocks, int StemWidth, int BasePlanes, int SaChannels, int FcnHidden, int K, bool Sanet, bool DeepStem = true);

    public static Config SanetR50 => new("sanet-r50", new[] { 3, 4, 6, 3 }, 64, 64, 256, 512, 59, true);

    public static Config SanetR101 => new("sanet-r101", new[] { 3, 4, 23, 3 }, 64, 64, 256, 512, 59, true);

    public static Config FcnR50 => new("fcn-r50", new[] { 3, 4, 6, 3 }, 64, 64, 256, 512, 59, false);

    public static Config SanetTiny => new("sanet-tiny", new[] { 1, 1, 1, 1 }, 8, 8, 16, 32, 5, true);

    public static ExpandedSpec Build(Config c, int defaultH = 480, int defaultW = 480)
    {
        var b = new MiddleSpecBuilder(c.Name, c.K, $"specs/{c.Name}.yaml");
        string[] stages = Backbone(b, c);
        b.Group = "head";
        string fcn = FcnHead(b, "head.fcn", stages[3], c.FcnHidden, c.K);
        if (!c.Sanet)
        {
            string up = b.Op("head.dense_up", "resize", new[] { fcn, "image" }, ("mode", "bilinear"), ("align_corners", true));
            b.Output("dense", up);
            b.Op("loss.dense", "softmax_cross_entropy", new[] { up, "labels" }, ("ignore_index", 255));
            b.Loss("dense", "loss.dense", 1.0);
            return b.Build(defaultH, defaultW);
        }

        var y = new string[4];
        for (int i = 0; i < 4; i++)
        {
            string sa = SqueezeAttention(b, $"head.sa{i + 1}", stages[i], c.SaChannels, 2);
            y[i] = b.Conv($"head.classifier{i + 1}", sa, c.K, 1, bias: true);
        }

        string y1 = b.Op("head.y1_up", "resize", new[] { y[0], y[1] }, ("mode", "bilinear"), ("align_corners", true));
        string z = b.Op("head.z", "concat", new[] { y1, y[1], y[2], y[3] });
        string mask = b.Conv("head.mask", z, c.K, 1, bias: true);
        string pooled = b.Op("head.z_pool", "global_avg_pool", new[] { z });
        string cat = b.Op("head.cat", "linear", new[] { pooled }, ("out_features", c.K), ("bias", true));
        string dense = b.Op("head.dense", "add", new[] { fcn, y[3] });
        string maskUp = b.Op("head.mask_up", "resize", new[] { mask, "image" }, ("mode", "bilinear"), ("align_corners", true));
        string denseUp = b.Op("head.dense_up", "resize", new[] { dense, "image" }, ("mode", "bilinear"), ("align_corners", true));
        b.Output("mask", maskUp);
        b.Output("dense", denseUp);
        b.Output("cat", cat);
        b.Op("loss.mask", "softmax_cross_entropy", new[] { maskUp, "labels" }, ("ignore_index", 255));
        b.Op("loss.cat", "bce_with_logits", new[] { cat, "labels" }, ("ignore_index", 255));
        b.Op("loss.dense", "softmax_cross_entropy", new[] { denseUp, "labels" }, ("ignore_index", 255));
        b.Loss("mask", "loss.mask", 1.0);
        b.Loss("cat", "loss.cat", 0.2);
        b.Loss("dense", "loss.dense", 0.8);
        return b.Build(defaultH, defaultW);
    }

    /// <summary>Dilated ResNet, output stride 8; returns c1..c4.</summary>
    private static string[] Backbone(MiddleSpecBuilder b, Config c)
    {
        string x;
        if (c.DeepStem)
        {
            x = b.ConvBnRelu("backbone.stem1", "image", c.StemWidth, 3, stride: 2, padding: 1);
            x = b.ConvBnRelu("backbone.stem2", x, c.StemWidth, 3, padding: 1);
            x = b.ConvBnRelu("backbone.stem3", x, 2 * c.StemWidth, 3, padding: 1);
        }
        else
        {
            x = b.ConvBnRelu("backbone.stem", "image", c.StemWidth, 7, stride: 2, padding: 3);
        }

        x = b.Op("backbone.maxpool", "maxpool", new[] { x }, ("kernel", 3), ("stride", 2), ("padding", 1));
        int inChannels = c.DeepStem ? 2 * c.StemWidth : c.StemWidth;
        int[] strides = { 1, 2, 1, 1 };
        int[] dilations = { 1, 1, 2, 4 };
        var stages = new string[4];
        for (int s = 0; s < 4; s++)
        {
            int planes = c.BasePlanes << s;
            for (int i = 0; i < c.Blocks[s]; i++)
            {
                int dilation = i == 0 && dilations[s] > 1 ? dilations[s] / 2 : dilations[s];
                x = Bottleneck(b, $"backbone.layer{s + 1}.{i}", x, inChannels, planes, i == 0 ? strides[s] : 1, dilation);
                inChannels = 4 * planes;
            }

            stages[s] = x;
        }

        return stages;
    }

    private static string Bottleneck(MiddleSpecBuilder b, string n, string x, int inChannels, int planes, int stride, int dilation)
    {
        string h = b.ConvBnRelu($"{n}.a", x, planes, 1);
        h = b.ConvBnRelu($"{n}.b", h, planes, 3, stride, dilation, dilation);
        h = b.Bn($"{n}.bn3", b.Conv($"{n}.conv3", h, 4 * planes, 1));
        string shortcut = x;
        if (stride != 1 || inChannels != 4 * planes)
            shortcut = b.Bn($"{n}.downsample.1", b.Conv($"{n}.downsample.0", x, 4 * planes, 1, stride));
        return b.Relu($"{n}.out", b.Op($"{n}.sum", "add", new[] { h, shortcut }));
    }

    private static string SqueezeAttention(MiddleSpecBuilder b, string n, string x, int channels, int pool)
    {
        string res = b.ConvBnRelu($"{n}.res2", b.ConvBnRelu($"{n}.res1", x, channels, 3, padding: 1), channels, 3, padding: 1);
        string a = b.Op($"{n}.pool", "avgpool", new[] { x }, ("kernel", pool), ("stride", pool));
        a = b.ConvBnRelu($"{n}.attn2", b.ConvBnRelu($"{n}.attn1", a, channels, 3, padding: 1), channels, 3, padding: 1);
        string attn = b.Op($"{n}.attn_up", "resize", new[] { a, x }, ("mode", "bilinear"), ("align_corners", true));
        string gated = b.Op($"{n}.gate", "mul", new[] { attn, res });
        return b.Op($"{n}.out", "add", new[] { gated, attn });
    }

    private static string FcnHead(MiddleSpecBuilder b, string n, string x, int hidden, int k)
    {
        string h = b.ConvBnRelu($"{n}.0", x, hidden, 3, padding: 1);
        h = b.Op($"{n}.dropout", "dropout", new[] { h }, ("p", 0.1));
        return b.Conv($"{n}.classifier", h, k, 1, bias: true);
    }
}
