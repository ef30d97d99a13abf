using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using LegacyLinking.Bench;

// dotnet run -c Release --project bench/LegacyLinking.Bench -- --filter '*'   (results under artifacts/bench/)
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(BenchPaths.RepoRoot, "artifacts", "bench"));
BenchmarkSwitcher.FromAssembly(typeof(BenchPaths).Assembly).Run(args, config);
