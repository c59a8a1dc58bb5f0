using System.Globalization;
using System.Text.Json;

namespace OpsDesk.Bench.Measuring;

/// <summary>Writes a load report as an aligned table or as JSON.</summary>
public static class ReportWriter
{
    public static Task WriteAsync(TextWriter output, LoadReport report, string format) =>
        format == "json"
            ? output.WriteLineAsync(JsonSerializer.Serialize(report, LoadJsonContext.Default.LoadReport))
            : output.WriteAsync(Table(report));

    public static string Table(LoadReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var sw = new StringWriter(c);
        var pacing = r.Mode == "rate"
            ? string.Create(c, $"open loop at {r.Rate} req/s")
            : string.Create(c, $"closed loop with {r.Concurrency} callers");
        sw.WriteLine(string.Create(c, $"target      {r.Target}"));
        sw.WriteLine(string.Create(c, $"mode        {pacing}, {r.DurationSeconds:0.###} s measured ({r.WarmupRequests} warm-up requests not counted)"));
        sw.WriteLine(string.Create(c, $"requests    {r.Requests} in {r.ElapsedSeconds:0.000} s = {r.Throughput:0.0} req/s; {r.Succeeded} ok, {r.Failed} failed"));
        if (r.Errors.Count > 0)
            sw.WriteLine("errors      " + string.Join(", ", r.Errors.Select(e => string.Create(c, $"{e.Key}: {e.Value}"))));
        sw.WriteLine("             p50 ms    p90 ms    p99 ms  p99.9 ms    max ms   mean ms");
        Row(sw, r.Mode == "rate" ? "latency*" : "latency", r.Latency);
        if (r.ServiceTime is { } service)
        {
            Row(sw, "service", service);
            sw.WriteLine("* from each request's intended send time (open loop: stalls are not hidden)");
        }

        return sw.ToString();
    }

    private static void Row(StringWriter sw, string name, LatencySummary l) =>
        sw.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-10}{l.P50,10:0.000}{l.P90,10:0.000}{l.P99,10:0.000}{l.P999,10:0.000}{l.Max,10:0.000}{l.Mean,10:0.000}"));
}
