using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RecordGaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "record_gaps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    From = table.Column<DateTime>(type: "TEXT", nullable: false),
                    To = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Events = table.Column<long>(type: "INTEGER", nullable: true),
                    Instance = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DetectedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_gaps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "record_journal_replays",
                columns: table => new
                {
                    File = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    Events = table.Column<int>(type: "INTEGER", nullable: false),
                    ReplayedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_journal_replays", x => x.File);
                });

            migrationBuilder.CreateIndex(
                name: "IX_record_gaps_From",
                table: "record_gaps",
                column: "From");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "record_gaps");

            migrationBuilder.DropTable(
                name: "record_journal_replays");
        }
    }
}
