using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

public sealed class SlaOptionsTests
{
    private static SlaOptions Bind(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config);
        services.AddSla();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SlaOptions>>().Value;
    }

    [Test]
    public void First_response_defaults_are_15_minutes_1_hour_6_hours_24_hours_warning_at_80_percent_and_p2()
    {
        var policy = Bind([]).ToPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(policy.FirstResponseTargetFor("P0"), Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(policy.FirstResponseTargetFor("P1"), Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(policy.FirstResponseTargetFor("P2"), Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(policy.FirstResponseTargetFor("P3"), Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(policy.WarningFraction, Is.EqualTo(0.8));
            Assert.That(policy.DefaultPriority, Is.EqualTo("P2"));
        });
    }

    [Test]
    public void Resolution_defaults_are_4_hours_24_hours_3_days_7_days()
    {
        var policy = Bind([]).ToPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(policy.TargetFor("P0"), Is.EqualTo(TimeSpan.FromHours(4)));
            Assert.That(policy.TargetFor("P1"), Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(policy.TargetFor("P2"), Is.EqualTo(TimeSpan.FromDays(3)));
            Assert.That(policy.TargetFor("P3"), Is.EqualTo(TimeSpan.FromDays(7)));
        });
    }

    [Test]
    public void One_target_can_be_overridden_and_the_others_keep_their_defaults()
    {
        var policy = Bind(new()
        {
            ["Sla:FirstResponseTargets:P0"] = "00:05:00",
            ["Sla:ResolutionTargets:P1"] = "08:00:00",
            ["Sla:WarningAt"] = "0.5",
            ["Sla:DefaultPriority"] = "p3",
        }).ToPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(policy.FirstResponseTargetFor("P0"), Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(policy.FirstResponseTargetFor("P1"), Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(policy.TargetFor("P1"), Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(policy.TargetFor("P0"), Is.EqualTo(TimeSpan.FromHours(4)));
            Assert.That(policy.WarningFraction, Is.EqualTo(0.5));
            Assert.That(policy.DefaultPriority, Is.EqualTo("P3"));
        });
    }

    [Test]
    public void A_ticket_without_priority_runs_on_the_default_priority()
    {
        var policy = SlaPolicy.Default;

        Assert.That(policy.Effective(null), Is.EqualTo("P2"));
        Assert.That(policy.Effective("P0"), Is.EqualTo("P0"));
        Assert.That(policy.FirstResponseTargetFor(null), Is.EqualTo(TimeSpan.FromHours(6)));
        Assert.That(policy.TargetFor(null), Is.EqualTo(TimeSpan.FromDays(3)));
    }

    [TestCase("Sla:WarningAt", "1", "Sla:WarningAt")]
    [TestCase("Sla:WarningAt", "0", "Sla:WarningAt")]
    [TestCase("Sla:DefaultPriority", "P9", "Sla:DefaultPriority")]
    [TestCase("Sla:FirstResponseTargets:P1", "-00:10:00", "Sla:FirstResponseTargets:P1")]
    [TestCase("Sla:FirstResponseTargets:P1", "00:00:00", "Sla:FirstResponseTargets:P1")]
    [TestCase("Sla:FirstResponseTargets:P7", "00:10:00", "Sla:FirstResponseTargets:P7")]
    [TestCase("Sla:ResolutionTargets:P2", "400.00:00:00", "Sla:ResolutionTargets:P2")]
    [TestCase("Sla:ResolutionTargets:P9", "01:00:00", "Sla:ResolutionTargets:P9")]
    [TestCase("Sla:Targets:P1", "01:00:00", "Sla:Targets:P1")]
    [TestCase("Sla:ContinueAsNewAfterChanges", "0", "Sla:ContinueAsNewAfterChanges")]
    [TestCase("Sla:DispatchBatchSize", "0", "Sla:DispatchBatchSize")]
    public void A_bad_setting_fails_validation_naming_the_setting(string key, string value, string named)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.That(ex!.Failures, Has.Exactly(1).Contains(named), "one error line, naming the key");
        Assert.That(ex.Failures.Count(), Is.EqualTo(1));
    }
}
