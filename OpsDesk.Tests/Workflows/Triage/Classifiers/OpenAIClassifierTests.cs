using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>The openai provider against a local chat-completions endpoint.</summary>
public sealed class OpenAIClassifierTests : ChatClassifierFixture
{
    private static readonly TicketText PaymentTicket = new(
        41,
        "Payment failed but money debited",
        "I tried paying ₹2,499 via UPI for order ORD-88231 and the app showed failed, but the amount was debited from my account. Transaction id 412345678901. Mail me at ravi.kumar@example.in or call +91 98765 43210.",
        "web");

    protected override (ServiceProvider Services, ITicketClassifier Classifier) Create(FakeChatCompletionsServer server) =>
        ClassifierServices.OpenAI(server);

    [Test]
    public async Task Request_carries_the_strict_json_schema_with_the_enums()
    {
        Server.EnqueueCompletion(Replies.Valid());

        await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);

        var request = Server.Requests.Single();
        var body = request.Json;
        var format = body["response_format"]!;
        var schema = format["json_schema"]!["schema"]!;
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/v1/chat/completions"));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer sk-test-key"));
            Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo("gpt-4.1-mini"));
            Assert.That(format["type"]!.GetValue<string>(), Is.EqualTo("json_schema"));
            Assert.That(format["json_schema"]!["strict"]!.GetValue<bool>(), Is.True);
            Assert.That(format["json_schema"]!["name"]!.GetValue<string>(), Is.EqualTo(TriageSchema.Name));
            Assert.That(schema["additionalProperties"]!.GetValue<bool>(), Is.False);
            Assert.That(Strings(schema["required"]), Is.EquivalentTo(new[] { "summary", "category", "priority", "entities", "confidence", "language", "sentiment" }));
            Assert.That(Strings(schema["properties"]!["category"]!["enum"]), Is.EqualTo(Categories.All));
            Assert.That(Strings(schema["properties"]!["priority"]!["enum"]), Is.EqualTo(new[] { "P0", "P1", "P2", "P3" }));
            Assert.That(Strings(schema["properties"]!["sentiment"]!["enum"]), Is.EqualTo(new[] { "negative", "neutral", "positive" }));
            var item = schema["properties"]!["entities"]!["items"]!;
            Assert.That(Strings(item["properties"]!["type"]!["enum"]), Is.EqualTo(new[]
            {
                "order_id", "transaction_id", "amount", "currency", "payment_method", "email", "phone", "device", "app_version", "other",
            }));
            Assert.That(item["additionalProperties"]!.GetValue<bool>(), Is.False);
            Assert.That(Strings(item["required"]), Is.EquivalentTo(new[] { "type", "value" }));
        });
    }

    [Test]
    public async Task Request_contains_placeholders_instead_of_the_email_and_phone()
    {
        Server.EnqueueCompletion(Replies.Valid());

        await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);

        var sent = Server.Requests.Single().DecodedStrings();
        Assert.Multiple(() =>
        {
            Assert.That(sent, Does.Not.Contain("ravi.kumar@example.in"));
            Assert.That(sent, Does.Not.Contain("98765 43210"));
            Assert.That(sent.Replace(" ", "", StringComparison.Ordinal), Does.Not.Contain("9876543210"));
            Assert.That(sent, Does.Contain("[EMAIL_1]").And.Contain("[PHONE_1]"));
            Assert.That(sent, Does.Contain("ORD-88231").And.Contain("412345678901"), "non-personal identifiers stay readable");
        });
    }

    [Test]
    public async Task Valid_reply_becomes_a_classification_tagged_with_provider_model_and_prompt_version()
    {
        Server.EnqueueCompletion(Replies.Valid(entities: [("order_id", "ORD-88231"), ("amount", "₹2,499"), ("payment_method", "UPI")], confidence: 0.87));

        var result = await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Category, Is.EqualTo("payments"));
            Assert.That(result.Priority, Is.EqualTo("P1"));
            Assert.That(result.Confidence, Is.EqualTo(0.87));
            Assert.That(result.Language, Is.EqualTo("en"));
            Assert.That(result.Sentiment, Is.EqualTo("negative"));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("amount", "₹2,499")));
            Assert.That(result.Provider, Is.EqualTo("openai"));
            Assert.That(result.Model, Is.EqualTo("gpt-4.1-mini"));
            Assert.That(result.PromptVersion, Is.EqualTo(TriagePrompt.Version));
        });
    }

    [Test]
    public async Task Placeholders_in_entities_and_summary_are_mapped_back_to_the_original_values()
    {
        Server.EnqueueCompletion(Replies.Valid(
            summary: "Customer [EMAIL_1] ([PHONE_1]) paid by UPI; payment failed but was debited.",
            entities: [("email", "[EMAIL_1]"), ("phone", "[PHONE_1]"), ("order_id", "ORD-88231"), ("other", "PHONE_1")]));

        var result = await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("email", "ravi.kumar@example.in")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("phone", "+91 98765 43210")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("other", "+91 98765 43210")), "a placeholder without brackets is mapped too");
            Assert.That(result.Summary, Is.EqualTo("Customer ravi.kumar@example.in (+91 98765 43210) paid by UPI; payment failed but was debited."));
        });
    }

    [Test]
    public async Task Rate_limited_call_is_transient_not_retried_by_the_sdk_and_the_next_call_succeeds()
    {
        Server.EnqueueStatus(429, """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""");
        Server.EnqueueCompletion(Replies.Valid());

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("rate_limited"));
            Assert.That(error.Permanent, Is.False);
            Assert.That(Server.Requests, Has.Count.EqualTo(1), "the SDK must not retry on its own");
        });

        var retried = await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(retried.Category, Is.EqualTo("payments"));
            Assert.That(Server.Requests, Has.Count.EqualTo(2));
        });
    }

    [TestCase(401, "unauthorized")]
    [TestCase(403, "forbidden")]
    [TestCase(400, "bad_request")]
    [TestCase(404, "not_found")]
    public void Client_errors_are_permanent(int status, string reason)
    {
        Server.EnqueueStatus(status);

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo(reason));
            Assert.That(error.Permanent, Is.True);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    public void Server_errors_are_transient_and_not_retried_by_the_sdk(int status)
    {
        Server.EnqueueStatus(status);
        Server.EnqueueCompletion(Replies.Valid()); // would be consumed if the SDK retried

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("server_error"));
            Assert.That(error.Permanent, Is.False);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Exhausted_quota_is_permanent_although_it_is_a_429()
    {
        Server.EnqueueStatus(429, """{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}""");

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("quota_exceeded"));
            Assert.That(error.Permanent, Is.True);
        });
    }

    [Test]
    public async Task Slow_server_fails_as_a_transient_timeout_after_the_configured_seconds()
    {
        await Services.DisposeAsync();
        (Services, Classifier) = ClassifierServices.OpenAI(Server, timeoutSeconds: 1);
        Server.EnqueueCompletion(Replies.Valid(), delay: TimeSpan.FromSeconds(10));

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("timeout"));
            Assert.That(error.Permanent, Is.False);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Unreachable_endpoint_fails_as_a_transient_timeout()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var unreachable = ClassifierServices.Build(new Dictionary<string, string?>
        {
            ["Triage:Provider"] = "openai",
            ["OpenAI:ApiKey"] = "sk-test-key",
            ["OpenAI:Endpoint"] = $"http://127.0.0.1:{port}/v1",
        });

        var error = Assert.ThrowsAsync<ClassifierException>(() =>
            unreachable.GetRequiredService<ITicketClassifier>().ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("timeout"));
            Assert.That(error.Permanent, Is.False);
        });
    }

    [Test]
    public void Cancellation_by_the_caller_is_not_turned_into_a_classifier_failure()
    {
        Server.EnqueueCompletion(Replies.Valid(), delay: TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(
            async () => await Classifier.ClassifyAsync(PaymentTicket, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Invalid_reply_is_repaired_once_with_the_validation_errors()
    {
        var invalid = Replies.Valid(category: "billing").Replace("\"sentiment\":\"negative\"", "\"mood\":\"angry\"", StringComparison.Ordinal);
        Server.EnqueueCompletion(invalid);
        Server.EnqueueCompletion(Replies.Valid());

        var result = await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);

        var requests = Server.Requests;
        Assert.That(requests, Has.Count.EqualTo(2));
        var messages = requests[1].Json["messages"]!.AsArray();
        var assistant = messages.Single(m => m!["role"]!.GetValue<string>() == "assistant")!;
        var repair = messages.Last()!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Category, Is.EqualTo("payments"));
            Assert.That(ContentText(assistant), Is.EqualTo(invalid), "the invalid reply is sent back");
            Assert.That(repair["role"]!.GetValue<string>(), Is.EqualTo("user"));
            Assert.That(ContentText(repair), Does.Contain("category is 'billing'"));
            Assert.That(ContentText(repair), Does.Contain("Missing required property sentiment"));
            Assert.That(ContentText(repair), Does.Contain("Unexpected property 'mood'"));
            Assert.That(requests[1].Json["response_format"]!["type"]!.GetValue<string>(), Is.EqualTo("json_schema"));
        });
    }

    [Test]
    public async Task Reply_that_is_not_json_is_repaired()
    {
        Server.EnqueueCompletion("Sure! The ticket is about payments.");
        Server.EnqueueCompletion(Replies.Valid());

        var result = await Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Priority, Is.EqualTo("P1"));
            Assert.That(ContentText(Server.Requests[1].Json["messages"]!.AsArray().Last()!), Does.Contain("not valid JSON"));
        });
    }

    [Test]
    public void Reply_invalid_twice_is_a_permanent_schema_failure()
    {
        Server.EnqueueCompletion(Replies.Valid(priority: "urgent"));
        Server.EnqueueCompletion(Replies.Valid(summary: new string('x', 281)));
        Server.EnqueueCompletion(Replies.Valid()); // must not be asked for

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("schema"));
            Assert.That(error.Permanent, Is.True);
            Assert.That(error.Message, Does.Contain("at most 280"));
            Assert.That(Server.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void Refusal_is_permanent()
    {
        Server.EnqueueRefusal("I can't help with that.");

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(PaymentTicket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("refusal"));
            Assert.That(error.Permanent, Is.True);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>Message content is a string or an array of text parts depending on the SDK path.</summary>
    private static string ContentText(JsonNode message) => message["content"] switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
        _ => "",
    };
}
