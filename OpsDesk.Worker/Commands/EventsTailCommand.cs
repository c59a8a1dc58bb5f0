using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using OpsDesk.Db.Events;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// <c>opsdesk events tail [--type T]... [--from-beginning]</c>: prints events from Kafka as they
/// arrive, one CloudEvent JSON per line on stdout (diagnostics go to stderr). Ctrl+C stops it and
/// closes the consumer. Uses a throwaway consumer group and commits no offsets.
/// </summary>
public static partial class EventsTailCommand
{
    public static readonly Option<string[]> Types = new("--type")
    {
        Description = "Event type to show (repeatable), e.g. ticket.created. Default: every known type.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<bool> FromBeginning = new("--from-beginning")
    {
        Description = "Start at the oldest retained event instead of only new ones.",
    };

    public static readonly Option<string?> BootstrapServers = new("--bootstrap-servers")
    {
        Description = "Kafka host:port list (default: Kafka__BootstrapServers).",
    };

    public static readonly Option<string?> TopicPrefix = new("--topic-prefix")
    {
        Description = "Topic name prefix (default: Kafka__TopicPrefix).",
    };

    public static readonly Option<int?> MaxMessages = new("--max-messages")
    {
        Description = "Exit after printing this many events.",
    };

    public static Command Build()
    {
        var command = new Command("tail", "Print events from Kafka as they arrive, one CloudEvent JSON per line.");
        Types.Validators.Add(result =>
        {
            foreach (var type in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!EventType().IsMatch(type))
                    result.AddError($"--type '{type}' is not an event type (like ticket.created or sla.warning).");
            }
        });
        MaxMessages.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--max-messages must be at least 1.");
        });
        command.Options.Add(Types);
        command.Options.Add(FromBeginning);
        command.Options.Add(BootstrapServers);
        command.Options.Add(TopicPrefix);
        command.Options.Add(MaxMessages);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var err = parse.InvocationConfiguration.Error;
        var kafka = CommonOptions.BuildConfiguration(parse).GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        if (parse.GetValue(BootstrapServers) is { } servers)
            kafka.BootstrapServers = servers;
        if (parse.GetValue(TopicPrefix) is { } prefix)
            kafka.TopicPrefix = prefix;
        if (!kafka.Enabled)
        {
            await err.WriteLineAsync("error: no Kafka configured. Set Kafka__BootstrapServers or pass --bootstrap-servers.");
            return Cli.BadUsage;
        }

        var requested = parse.GetValue(Types) ?? [];
        var types = requested.Length > 0 ? requested : KnownTypes(kafka);
        var topics = types.Select(kafka.TopicFor).Distinct(StringComparer.Ordinal).ToList();
        // Several types may share a topic (Kafka:Topics), so an explicit --type also filters on ce_type.
        var only = requested.Length > 0 ? requested.ToHashSet(StringComparer.Ordinal) : null;

        var warned = new HashSet<string>(StringComparer.Ordinal);
        void Warn(string message)
        {
            lock (warned)
            {
                if (warned.Add(message))
                    err.WriteLine("warning: " + message);
            }
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "opsdesk-events-tail-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = parse.GetValue(FromBeginning) ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest,
            AllowAutoCreateTopics = false,
            // Topics the relay creates later are picked up within seconds.
            TopicMetadataRefreshIntervalMs = 5_000,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, e) => Warn("kafka: " + e.Reason))
            .Build();
        consumer.Subscribe(topics);
        // Cli.RunAsync sets no ProcessTerminationTimeout, so System.CommandLine leaves Ctrl+C to the
        // runtime, which would end the process without closing the consumer. Take the signals here.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => StopOn(c, stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => StopOn(c, stop));
        try
        {
            // Consume blocks its thread; the token ends it.
            return await Task.Run(() => Loop(consumer, only, parse.GetValue(MaxMessages), output, err, Warn, stop.Token), CancellationToken.None);
        }
        finally
        {
            consumer.Close();
        }
    }

    private static void StopOn(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    private static int Loop(IConsumer<Ignore, string> consumer, HashSet<string>? only, int? max, TextWriter output, TextWriter err, Action<string> warn, CancellationToken ct)
    {
        var printed = 0;
        while (max is null || printed < max)
        {
            ConsumeResult<Ignore, string> result;
            try
            {
                result = consumer.Consume(ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                // Typically a subscribed topic that does not exist yet: the relay creates it on first publish.
                warn(ex.Error.Reason);
                continue;
            }
            catch (ConsumeException ex)
            {
                err.WriteLine("error: " + ex.Error.Reason);
                return Cli.Failed;
            }

            if (result?.Message?.Value is not { } value)
                continue;
            if (only is not null && (!result.Message.Headers.TryGetLastBytes("ce_type", out var type) || !only.Contains(Encoding.UTF8.GetString(type))))
                continue;
            if (OneLine(value) is not { } line)
            {
                warn($"skipped a message that is not JSON at {result.TopicPartitionOffset}");
                continue;
            }

            output.WriteLine(line);
            output.Flush();
            printed++;
        }

        return Cli.Ok;
    }

    /// <summary>The JSON on one line; null when it is not JSON.</summary>
    private static string? OneLine(string value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            if (!value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal))
                return value;
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                doc.WriteTo(w);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every type in <see cref="EventTypes"/> plus any named in Kafka:Topics.</summary>
    internal static string[] KnownTypes(KafkaOptions kafka) =>
        typeof(EventTypes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat(kafka.Topics.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex("^[a-z_]+(\\.[a-z_]+)+$")]
    private static partial Regex EventType();
}
