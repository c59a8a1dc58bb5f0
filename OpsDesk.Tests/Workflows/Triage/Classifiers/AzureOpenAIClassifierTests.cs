using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>The azure provider (Azure.AI.OpenAI) against the same local chat-completions endpoint.</summary>
public sealed class AzureOpenAIClassifierTests : ChatClassifierFixture
{
    private static readonly TicketText Ticket = new(
        7,
        "OTP not received",
        "I am not getting the OTP on my phone +91 98765 43210 while logging in. Tried 5 times since morning.",
        "chat");

    protected override (ServiceProvider Services, ITicketClassifier Classifier) Create(FakeChatCompletionsServer server) =>
        ClassifierServices.Azure(server);

    [Test]
    public async Task Azure_call_goes_to_the_deployment_with_the_api_key_header_the_schema_and_no_phone_number()
    {
        Server.EnqueueCompletion(Replies.Valid(category: "otp_delivery", entities: [("phone", "[PHONE_1]")]));

        var result = await Classifier.ClassifyAsync(Ticket, CancellationToken.None);

        var request = Server.Requests.Single();
        var sent = request.DecodedStrings();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/openai/deployments/triage-deployment/chat/completions"));
            Assert.That(request.Query, Does.StartWith("?api-version="));
            Assert.That(request.Header("api-key"), Is.EqualTo("az-test-key"));
            Assert.That(request.Json["response_format"]!["type"]!.GetValue<string>(), Is.EqualTo("json_schema"));
            Assert.That(request.Json["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>(), Is.True);
            Assert.That(sent, Does.Not.Contain("98765 43210"));
            Assert.That(sent.Replace(" ", "", StringComparison.Ordinal), Does.Not.Contain("9876543210"));
            Assert.That(result.Provider, Is.EqualTo("azure"));
            Assert.That(result.Model, Is.EqualTo("triage-deployment"));
            Assert.That(result.PromptVersion, Is.EqualTo(TriagePrompt.Version));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("phone", "+91 98765 43210")));
        });
    }

    [Test]
    public async Task Azure_rate_limit_is_transient_and_the_sdk_does_not_retry_it()
    {
        Server.EnqueueStatus(429, """{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded call rate limit."}}""");
        Server.EnqueueCompletion(Replies.Valid(category: "otp_delivery"));

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(Ticket, CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("rate_limited"));
            Assert.That(error.Permanent, Is.False);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });

        var retried = await Classifier.ClassifyAsync(Ticket, CancellationToken.None);
        Assert.That(retried.Category, Is.EqualTo("otp_delivery"));
    }

    [Test]
    public void Azure_unauthorized_is_permanent()
    {
        Server.EnqueueStatus(401, """{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}""");

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(Ticket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("unauthorized"));
            Assert.That(error.Permanent, Is.True);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Azure_server_error_is_transient_and_not_retried_by_the_sdk()
    {
        Server.EnqueueStatus(503);
        Server.EnqueueCompletion(Replies.Valid());

        var error = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(Ticket, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo("server_error"));
            Assert.That(error.Permanent, Is.False);
            Assert.That(Server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Azure_invalid_reply_is_repaired_once()
    {
        Server.EnqueueCompletion(Replies.Valid(confidence: 7));
        Server.EnqueueCompletion(Replies.Valid(category: "otp_delivery"));

        var result = await Classifier.ClassifyAsync(Ticket, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Category, Is.EqualTo("otp_delivery"));
            Assert.That(Server.Requests, Has.Count.EqualTo(2));
            Assert.That(Server.Requests[1].DecodedStrings(), Does.Contain("confidence must be between 0 and 1"));
        });
    }
}
