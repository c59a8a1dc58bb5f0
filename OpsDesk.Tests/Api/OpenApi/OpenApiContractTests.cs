using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.OpenApi;

/// <summary>The committed document and client are what the running API serves and what NSwag makes of it, so neither drifts from the code.</summary>
public sealed class OpenApiContractTests : ApiFixture
{
    [Test]
    public async Task Committed_document_is_the_served_document()
    {
        var served = await OpenApiDocuments.FetchAsync(Factory);
        var path = OpenApiDocuments.RepoPath(OpenApiDocuments.CommittedPath);
        if (OpenApiDocuments.Updating)
            await File.WriteAllTextAsync(path, served.TrimEnd() + "\n");

        Assert.That(File.Exists(path), Is.True, $"{OpenApiDocuments.CommittedPath} is missing. {OpenApiDocuments.RegenerateHint}");
        var difference = OpenApiDocuments.FirstDifference(OpenApiDocuments.Parse(await File.ReadAllTextAsync(path)), OpenApiDocuments.Parse(served));
        Assert.That(difference, Is.Null, $"{OpenApiDocuments.CommittedPath} differs from the served document at {difference}. {OpenApiDocuments.RegenerateHint}");
    }

    [Test]
    public async Task Committed_client_is_what_nswag_generates_from_the_served_document()
    {
        var generated = await OpsDeskClientGenerator.GenerateAsync(await OpenApiDocuments.FetchAsync(Factory));
        var path = OpenApiDocuments.RepoPath(OpenApiDocuments.ClientPath);
        if (OpenApiDocuments.Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, generated);
        }

        Assert.That(File.Exists(path), Is.True, $"{OpenApiDocuments.ClientPath} is missing. {OpenApiDocuments.RegenerateHint}");
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(generated), $"{OpenApiDocuments.ClientPath} is not what NSwag makes of the served document. {OpenApiDocuments.RegenerateHint}");
    }
}
