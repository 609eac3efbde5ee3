using BenchmarkDotNet.Running;
using NetSpec.Benchmarks;

// dotnet run -c Release --project benchmarks/NetSpec.Benchmarks -- --filter '*Conv*'   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/NetSpec.Benchmarks -- --peer-json --net sanet-tiny --mode train --batch 8 --size 96
// dotnet run -c Release --project benchmarks/NetSpec.Benchmarks -- --list-params sanet-tiny
// mpirun -np 2 dotnet benchmarks/NetSpec.Benchmarks/bin/Release/net10.0/NetSpec.Benchmarks.dll --allreduce --net sanet-r50
if (args.Contains("--peer-json"))
    return Peer.Run(args);
if (args.Contains("--allreduce"))
    return AllReduce.Run(args);
if (args.Length == 2 && args[0] == "--list-params")
    return Peer.ListParams(args[1]);
BenchmarkSwitcher.FromAssembly(typeof(Peer).Assembly).Run(args);
return 0;
