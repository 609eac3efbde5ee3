// The CLI tests swap Console.Out/Error and share the network registry: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
