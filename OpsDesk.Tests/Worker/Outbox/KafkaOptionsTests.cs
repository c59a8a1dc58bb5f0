using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Hosting;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

public sealed class KafkaOptionsTests
{
    [Test]
    public void Topic_is_the_event_type_after_the_prefix_unless_mapped()
    {
        var options = new KafkaOptions { TopicPrefix = "prod." };
        options.Topics["sla.breached"] = "alerts";

        Assert.That(options.TopicFor("ticket.created"), Is.EqualTo("prod.ticket.created"));
        Assert.That(options.TopicFor("sla.breached"), Is.EqualTo("alerts"));
        Assert.That(new KafkaOptions().TopicFor("sla.warning"), Is.EqualTo("sla.warning"));
    }

    [Test]
    public void Configuration_binds_the_Kafka_section_including_topics_and_producer_settings()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "k1:9092,k2:9092",
            ["Kafka:Topics:ticket.created"] = "tickets",
            ["Kafka:Producer:linger.ms"] = "20",
            ["Kafka:BatchSize"] = "100",
            ["Kafka:PollInterval"] = "00:00:02",
        }).Build();

        var options = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>()!;

        Assert.That(options.Enabled, Is.True);
        Assert.That(options.TopicFor("ticket.created"), Is.EqualTo("tickets"));
        Assert.That(options.Producer["linger.ms"], Is.EqualTo("20"));
        Assert.That(options.BatchSize, Is.EqualTo(100));
        Assert.That(options.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [TestCase("BatchSize", "Kafka:BatchSize")]
    [TestCase("Partitions", "Kafka:Partitions")]
    [TestCase("Prefix", "Kafka:TopicPrefix")]
    [TestCase("Topic", "Kafka:Topics:ticket.created")]
    [TestCase("Idempotence", "Kafka:Producer:enable.idempotence")]
    [TestCase("Acks", "Kafka:Producer:acks")]
    [TestCase("Bootstrap", "Kafka:Producer:bootstrap.servers")]
    [TestCase("Backoff", "Kafka:MaxRetryBackoff")]
    public void A_bad_setting_is_refused_naming_the_key(string what, string key)
    {
        var options = new KafkaOptions { BootstrapServers = "k:9092" };
        switch (what)
        {
            case "BatchSize": options.BatchSize = 0; break;
            case "Partitions": options.Partitions = 0; break;
            case "Prefix": options.TopicPrefix = "bad prefix/"; break;
            case "Topic": options.Topics["ticket.created"] = "no spaces"; break;
            case "Idempotence": options.Producer["enable.idempotence"] = "false"; break;
            case "Acks": options.Producer["acks"] = "1"; break;
            case "Bootstrap": options.Producer["bootstrap.servers"] = "x:1"; break;
            case "Backoff": options.MaxRetryBackoff = TimeSpan.FromMilliseconds(1); break;
        }

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(key));
    }

    [TestCase("linger.msx", "20", "No such configuration property")]
    [TestCase("linger.ms", "soon", "Invalid value")]
    [TestCase("compression.type", "zstd2", "Invalid value")]
    public void A_producer_setting_librdkafka_refuses_is_refused_at_start_naming_the_key(string key, string value, string why)
    {
        var options = new KafkaOptions { BootstrapServers = "k:9092" };
        options.Producer["linger.ms"] = "20";
        options.Producer[key] = value;

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Has.Exactly(1).StartsWith($"Kafka:Producer:{key}: ").And.Contains(why));
        Assert.That(result.FailureMessage, Does.Not.Contain($"\"{value}\""), "values are not echoed: they can be secrets");
    }

    [Test]
    public void Producer_settings_that_do_not_go_together_are_refused_at_start()
    {
        var options = new KafkaOptions { BootstrapServers = "k:9092" };
        options.Producer["max.in.flight"] = "50";

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Kafka:Producer:").And.Contains("max.in.flight"));
    }

    [Test]
    public void Valid_producer_settings_pass_the_start_up_check()
    {
        var options = new KafkaOptions { BootstrapServers = "k:9092" };
        options.Producer["linger.ms"] = "20";
        options.Producer["compression.type"] = "lz4";
        options.Producer["security.protocol"] = "SASL_SSL";
        options.Producer["sasl.mechanisms"] = "SCRAM-SHA-512";
        options.Producer["sasl.username"] = "relay";
        options.Producer["sasl.password"] = "secret";

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public async Task The_worker_does_not_start_with_an_unknown_producer_setting()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OpsDesk"] = TestDatabase.ConnectionString,
            ["Database:MigrateOnStart"] = "false",
            ["Temporal:Address"] = $"127.0.0.1:{Ports.Free()}",
            ["Kafka:BootstrapServers"] = $"127.0.0.1:{Ports.Free()}",
            ["Kafka:Producer:linger.msx"] = "20",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WorkerHost.Configure(builder);
        await using var app = builder.Build();

        var refused = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(refused!.Message, Does.Contain("Kafka:Producer:linger.msx: No such configuration property"));
    }

    [Test]
    public void Defaults_are_valid()
    {
        Assert.That(new KafkaOptionsValidator().Validate(null, new KafkaOptions()).Succeeded, Is.True);
    }
}
