using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpsDesk.Tests.Support;

/// <summary>Keeps every log line (message, structured values, scopes, exception) of every category and level, for tests that search them.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public string AllText => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                    line.Append(" | ").Append(key).Append('=').Append(value);
            }

            owner.scopes.ForEachScope((scope, sb) => sb.Append(" | scope ").Append(scope), line);
            if (exception is not null)
                line.Append(" | ").Append(exception);
            owner.Lines.Enqueue(line.ToString());
        }
    }
}
