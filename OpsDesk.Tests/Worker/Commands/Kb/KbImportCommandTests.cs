using OpsDesk.Tests.Deploy;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Worker.Commands.Kb;

/// <summary><c>opsdesk kb import DIR</c> against a fresh database: idempotent by slug, all-or-nothing on bad files.</summary>
public sealed class KbImportCommandTests
{
    private static async Task<long> CountAsync(string cs, string sql)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(cs);
        await using var cmd = db.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task Importing_the_starter_set_twice_creates_each_article_once_and_then_changes_nothing()
    {
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();
        var dir = RepoFiles.Path("deploy/kb/articles");
        var files = Directory.GetFiles(dir, "*.md").Length;

        var first = await CliRun.RunAsync(null, cs, ["kb", "import", dir]);
        var second = await CliRun.RunAsync(null, cs, ["kb", "import", dir]);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Out, Does.Contain($"{files} article(s): {files} created, 0 updated, 0 unchanged."));
        Assert.That(second.Out, Does.Contain($"{files} article(s): 0 created, 0 updated, {files} unchanged."));
        Assert.That(await CountAsync(cs, "SELECT count(*) FROM kb_docs"), Is.EqualTo(files));
        Assert.That(await CountAsync(cs, "SELECT count(*) FROM kb_docs WHERE visibility = 'internal'"), Is.GreaterThan(0));
        Assert.That(await CountAsync(cs, "SELECT max(version) FROM kb_docs"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_folder_with_one_invalid_file_imports_nothing_and_names_the_file()
    {
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("kb-import-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "good.md"), "---\nslug: good\ntitle: Good\ntags: [a]\nvisibility: public\n---\nBody.\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "bad.md"), "---\nslug: Bad Slug\ntitle: Bad\n---\nBody.\n");

            var result = await CliRun.RunAsync(null, cs, ["kb", "import", dir.FullName]);

            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Err, Does.Contain("bad.md: slug must be"));
            Assert.That(await CountAsync(cs, "SELECT count(*) FROM kb_docs"), Is.Zero);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
