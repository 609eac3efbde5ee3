// The parity tests run sanet-r50 in NetSpec and in ONNX Runtime, and the CLI tests swap Console.Out: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
