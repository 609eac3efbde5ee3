return NetSpec.Samples.SANet.Cli.SanetCli.Run(args);
