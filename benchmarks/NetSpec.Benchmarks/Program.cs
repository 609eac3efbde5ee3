using BenchmarkDotNet.Running;
using NetSpec.Benchmarks;

// dotnet run -c Release --project benchmarks/NetSpec.Benchmarks -- --filter '*Conv*'   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/NetSpec.Benchmarks -- --peer-json --net sanet-tiny --mode train --batch 8 --size 96
// dotnet run -c Release --project benchmarks/NetSpec.Benchmarks -- --list-params sanet-tiny
if (args.Contains("--peer-json"))
    return Peer.Run(args);
if (args.Length == 2 && args[0] == "--list-params")
    return Peer.ListParams(args[1]);
BenchmarkSwitcher.FromAssembly(typeof(Peer).Assembly).Run(args);
return 0;
