using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Tests.Workflows.Kb;

/// <summary>The OpenAI and Azure embedding services against a local endpoint that records what was sent.</summary>
public sealed class OpenAIEmbeddingServiceTests
{
    [Test]
    public async Task OpenAI_embeddings_send_the_texts_and_model_and_come_back_normalised_in_order()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync();
        server.EnqueueEmbeddings([3, 4], [0, 2]);
        var service = OpenAIEmbeddingService.CreateOpenAI(new OpenAIOptions { ApiKey = "sk-test", Endpoint = server.OpenAIEndpoint }, "text-embedding-3-small");

        var vectors = await service.EmbedAsync(["first text", "second text"], CancellationToken.None);

        var request = server.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/v1/embeddings"));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer sk-test"));
            Assert.That(request.Json["model"]!.GetValue<string>(), Is.EqualTo("text-embedding-3-small"));
            Assert.That(request.Json["input"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { "first text", "second text" }));
            Assert.That(service.Model, Is.EqualTo("openai:text-embedding-3-small"));
            Assert.That(vectors[0], Is.EqualTo(new[] { 0.6f, 0.8f }).Within(1e-6));
            Assert.That(vectors[1], Is.EqualTo(new[] { 0f, 1f }).Within(1e-6));
        });
    }

    [Test]
    public async Task Azure_embeddings_go_to_the_deployment()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync();
        server.EnqueueEmbeddings([1, 0]);
        var service = OpenAIEmbeddingService.CreateAzure(
            new AzureOpenAIOptions { Endpoint = server.BaseUrl.ToString(), ApiKey = "az-key", Deployment = "chat" }, "embed-small");

        await service.EmbedAsync(["text"], CancellationToken.None);

        var request = server.Requests.Single();
        Assert.That(request.Path, Is.EqualTo("/openai/deployments/embed-small/embeddings"));
        Assert.That(request.Header("api-key"), Is.EqualTo("az-key"));
        Assert.That(service.Model, Is.EqualTo("azure:embed-small"));
    }
}
