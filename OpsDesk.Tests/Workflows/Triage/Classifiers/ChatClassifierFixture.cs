using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>A chat provider's classifier wired to a fresh local chat-completions endpoint for each test.</summary>
public abstract class ChatClassifierFixture
{
    protected FakeChatCompletionsServer Server { get; private set; } = null!;

    protected ServiceProvider Services { get; set; } = null!;

    protected ITicketClassifier Classifier { get; set; } = null!;

    /// <summary>The provider under test, configured against <paramref name="server"/>.</summary>
    protected abstract (ServiceProvider Services, ITicketClassifier Classifier) Create(FakeChatCompletionsServer server);

    [SetUp]
    public async Task StartServerAsync()
    {
        Server = await FakeChatCompletionsServer.StartAsync();
        (Services, Classifier) = Create(Server);
    }

    [TearDown]
    public async Task StopServerAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
