using System.Globalization;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>One row of a BenchmarkDotNet CSV report written by <c>micro</c>: times in ns, sizes in bytes.</summary>
internal sealed record MicroRow(string Class, string Method, double MeanNs, double AllocatedBytes)
{
    /// <summary>Every row of every <c>*-report.csv</c> under <paramref name="directory"/>; none when <c>micro</c> did not run.</summary>
    public static IReadOnlyList<MicroRow> ReadAll(string directory)
    {
        var results = Path.Combine(directory, "results");
        if (!Directory.Exists(results))
        {
            return [];
        }

        var rows = new List<MicroRow>();
        foreach (var file in Directory.GetFiles(results, "*-report.csv").Order(StringComparer.Ordinal))
        {
            // ServerSidePersonalization.Benchmarks.Micro.RequestPathBenchmarks-report.csv
            var name = Path.GetFileName(file)[..^"-report.csv".Length];
            var type = name[(name.LastIndexOf('.') + 1)..];
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split(';');
            var method = Array.IndexOf(header, "Method");
            var mean = Array.FindIndex(header, h => h.StartsWith("Mean", StringComparison.Ordinal));
            var allocated = Array.FindIndex(header, h => h.StartsWith("Allocated", StringComparison.Ordinal));
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var cells = line.Split(';');
                rows.Add(new MicroRow(type, cells[method], Number(cells[mean]), allocated < 0 ? double.NaN : Number(cells[allocated])));
            }
        }

        return rows;
    }

    /// <summary>A number as the report prints it: thousands separated by commas, "-" for zero, "NA" when it failed.</summary>
    private static double Number(string cell)
    {
        var text = cell.Trim().Trim('"').Replace(",", "", StringComparison.Ordinal);
        return text == "-" ? 0
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
            : double.NaN;
    }
}
