using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>The one duration grammar of <c>opsdesk</c> and <c>opsdesk-bench</c>.</summary>
public sealed class DurationsTests
{
    [TestCase("250ms", 0.25)]
    [TestCase("1.5s", 1.5)]
    [TestCase("45s", 45)]
    [TestCase("2m", 120)]
    [TestCase("1.5m", 90)]
    [TestCase("30m", 30 * 60)]
    [TestCase("1h", 3600)]
    [TestCase("24h", 24 * 3600)]
    [TestCase("7d", 7 * 86400)]
    [TestCase("7D", 7 * 86400)]
    [TestCase("500MS", 0.5)]
    [TestCase(" 20s ", 20)]
    [TestCase("0s", 0)]
    public void A_number_with_a_unit_is_a_duration(string text, double seconds)
    {
        Assert.That(Durations.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("15")]
    [TestCase("24")]
    [TestCase("soon")]
    [TestCase("1w")]
    [TestCase("-3d")]
    [TestCase("1,5s")]
    [TestCase("1m30s")]
    [TestCase("h")]
    [TestCase("ms")]
    [TestCase("3651d")]
    public void Anything_else_is_not_a_duration(string text)
    {
        Assert.That(Durations.TryParse(text, out _), Is.False);
    }

    [TestCase(0.25, "250ms")]
    [TestCase(45, "45s")]
    [TestCase(90, "90s")]
    [TestCase(1800, "30m")]
    [TestCase(86400, "24h")]
    [TestCase(7 * 86400, "7d")]
    public void Format_writes_what_the_parser_reads_back(double seconds, string text)
    {
        var span = TimeSpan.FromSeconds(seconds);

        Assert.That(Durations.Format(span), Is.EqualTo(text));
        Assert.That(Durations.TryParse(Durations.Format(span), out var back) && back == span, Is.True);
    }

    [TestCase("0s", "above zero")]
    [TestCase("2d", "at most 24h")]
    [TestCase("15", "like 500ms, 30m, 24h or 7d")]
    public void An_option_refuses_a_value_outside_its_bounds_naming_them(string text, string message)
    {
        var option = Durations.Option("--duration", TimeSpan.FromSeconds(10), "How long.", max: TimeSpan.FromDays(1));
        var command = new System.CommandLine.RootCommand { option };

        var parse = command.Parse(["--duration", text]);

        Assert.That(parse.Errors.Select(e => e.Message), Has.One.Contains("--duration must be a duration").And.Contains(message));
    }

    [Test]
    public void An_option_with_zero_allowed_takes_zero_and_shows_its_default_as_written()
    {
        var option = Durations.Option("--warmup", TimeSpan.FromHours(24), "Warm-up.", allowZero: true);
        var command = new System.CommandLine.RootCommand { option };

        Assert.That(command.Parse(["--warmup", "0s"]).GetValue(option).Value, Is.EqualTo(TimeSpan.Zero));
        Assert.That(command.Parse([]).GetValue(option).ToString(), Is.EqualTo("24h"));
    }
}
