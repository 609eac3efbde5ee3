using NetSpec.DeviceChecks.Runner;
using NetSpec.GpuCheck;

// The GPU check, run on a lent GPU machine by scripts/gpu-check.sh:
//   probe                      which devices ILGPU sees; a kernel and cuBLAS on the first GPU
//   ops cuda|opencl|cpu [bench] the per-device op checks (benchmarks/NetSpec.DeviceChecks) on that device
//   time [spec] [batch] [size] eval-forward and training-step timings of a generated network
//   nccl                       the NCCL binding on one GPU (1-rank communicator, all-reduce on the device)

string mode = args.Length > 0 ? args[0] : "probe";
string device = Environment.GetEnvironmentVariable("NETSPEC_DEVICE") ?? "auto";
return mode switch
{
    "probe" => Probe.Run(device),
    "nccl" => NcclCheck.Run(),
    "ops" => DeviceCheckRunner.Run(args[1..]),
    "time" => NetworkTiming.Run(
        device,
        spec: args.Length > 1 ? args[1] : "sanet-r50",
        batch: args.Length > 2 ? int.Parse(args[2]) : 8,
        size: args.Length > 3 ? int.Parse(args[3]) : 480,
        repeats: args.Length > 4 ? int.Parse(args[4]) : 5),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: NetSpec.GpuCheck probe | ops cuda|opencl|cpu [bench] | time [spec] [batch] [size] [repeats] | nccl   (device from NETSPEC_DEVICE, default auto)");
    return 2;
}
