using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// The micro-benchmarks: every class in <c>Micro/</c>, with a short job run in this process (no generated project to
/// build), allocations measured, and a CSV report per class (times in ns, sizes in bytes) that <c>results</c> reads.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string directory)
    {
        var style = new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: SizeUnit.B, timeUnit: TimeUnit.Nanosecond, printUnitsInContent: false);
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(new CsvExporter(CsvSeparator.Semicolon, style))
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(directory);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly)
            .Run(["--filter", $"{typeof(MicroBenchmarks).Namespace}.Micro.*"], config);
        return summaries.Any() && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;
    }
}
