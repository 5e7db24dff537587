//! `seed-demo`: the demo offices can log in with what demo.json says and find their received items.

mod common;

use careplan_api::{Home, MessagePage};
use common::*;

#[tokio::test]
async fn demo_data_is_usable_from_demo_json() {
    let relay = TestRelay::builder().demo_messages().start().await;
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(relay.dir.join("demo.json")).unwrap()).unwrap();
    let offices = json["offices"].as_array().unwrap();
    assert_eq!(offices.len(), 4);
    let kinds: Vec<&str> = offices
        .iter()
        .map(|o| o["service_kinds"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["43", "11", "15", "17"],
        "a 居宅介護支援事業所 and three service offices of different kinds"
    );

    // Everything a client needs comes from demo.json alone.
    let endpoint = Endpoint::of_data_dir(&relay.dir, relay.port());
    for (office, expected_messages) in [(&offices[0], 1), (&offices[1], 2), (&offices[2], 0)] {
        let cert = CertFiles {
            cert: office["certificate"].as_str().unwrap().into(),
            key: office["private_key"].as_str().unwrap().into(),
        };
        let client = endpoint.client_with(Some(&cert));
        let token = login_with(
            &endpoint,
            &client,
            office["personal_user_id"].as_str().unwrap(),
            office["office_user_id"].as_str().unwrap(),
            office["personal_password"].as_str().unwrap(),
        )
        .await
        .expect("demo IDs log in");
        let inbox: MessagePage = ok_json(
            client
                .get(endpoint.url("/v1/inbox"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(inbox.total, expected_messages, "{}", office["name"]);
        let home: Home = ok_json(
            client
                .get(endpoint.url("/v1/home"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(home.notices.len(), 2);
        let licence = home.licence.unwrap();
        assert!(licence.free_pass);
    }
    // Seeding twice is refused without harm.
    let err = relay.relay.seed_demo().await.unwrap_err();
    assert!(err.to_string().contains("既に登録"), "{err}");
}
